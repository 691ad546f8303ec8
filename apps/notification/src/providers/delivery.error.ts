import type { BounceClass } from '../bounces/bounce-classifier';

/** A recipient the provider refused at send time, and how (NOTIF-6). */
export interface SendTimeBounce {
  /** In memory only: hashed by the bounce service, never logged or stored. */
  recipient?: string;
  bounce: BounceClass;
}

/**
 * A provider refused or could not take a message. `reason` is a short code safe to store and log
 * (`smtp_550`, `webhook_status_500`); providers never put an address or body into it. A permanent
 * error is not retried; an SMTP refusal also carries its bounces (NOTIF-6, BounceService).
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

  /** The recipients the server refused (SMTP 4xx/5xx), classified; empty for any other failure. */
  get bounces(): SendTimeBounce[] {
    return BOUNCES.get(this) ?? [];
  }

  /** Kept outside the object, so logging or serialising the error can never show an address. */
  withBounces(bounces: SendTimeBounce[]): this {
    BOUNCES.set(this, bounces);
    return this;
  }
}

const BOUNCES = new WeakMap<DeliveryError, SendTimeBounce[]>();

/** What a send may report besides success: recipients refused while others were taken. */
export interface SendReport {
  refused: SendTimeBounce[];
}
