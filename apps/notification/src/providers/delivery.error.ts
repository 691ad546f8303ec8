/**
 * A provider refused or could not take a message. `reason` is a short code safe to store and log
 * (`smtp_550`, `webhook_status_500`); providers never put an address or body into it. A permanent
 * error is not retried (a later issue turns permanent SMTP rejections into bounces, NOTIF-6).
 */
export class DeliveryError extends Error {
  /**
   * `unreachable`: the provider was not reached at all (connection refused or reset, no answer in
   * time, name not resolved). Such failures, in a row, pause the provider's queue (ProviderCircuit).
   */
  constructor(
    readonly reason: string,
    readonly permanent: boolean,
    readonly unreachable = false,
  ) {
    super(reason);
    this.name = 'DeliveryError';
  }
}
