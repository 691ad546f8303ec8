/**
 * A provider refused or could not take a message. `reason` is a short code safe to store and log
 * (`smtp_550`, `webhook_status_500`); providers never put an address or body into it. A permanent
 * error is not retried (a later issue turns permanent SMTP rejections into bounces, NOTIF-6).
 */
export class DeliveryError extends Error {
  constructor(
    readonly reason: string,
    readonly permanent: boolean,
  ) {
    super(reason);
    this.name = 'DeliveryError';
  }
}
