import { ServerNats } from '@nestjs/microservices';
import type { NatsConnection, Subscription } from 'nats';
import { IN_FLIGHT_REQUESTS, InFlightRequests } from './in-flight';

type NatsServerOptions = ConstructorParameters<typeof ServerNats>[0];

/**
 * Nest's NATS server with a shutdown that loses no reply: `stopTaking()` ends this replica's
 * subscriptions (new requests go to the other replicas of the queue group, or fail fast with "no
 * responders"), waits for the requests in hand to be answered, and flushes the replies; only then is
 * the connection closed. Nest's own close drops the connection with replies still to be sent.
 */
export class DrainingNatsServer extends ServerNats {
  private readonly subs: Subscription[] = [];

  constructor(
    options: NatsServerOptions,
    private readonly inFlight: InFlightRequests = IN_FLIGHT_REQUESTS,
  ) {
    super(options);
  }

  override bindEvents(client: NatsConnection): void {
    // The parent subscribes through `client.subscribe`; keep each subscription to end it on shutdown.
    const tracking = Object.create(client) as NatsConnection;
    tracking.subscribe = (subject, opts) => {
      const sub = client.subscribe(subject, opts);
      this.subs.push(sub);
      return sub;
    };
    super.bindEvents(tracking);
  }

  /** Resolves true when every request in hand was answered within `graceMs`. */
  async stopTaking(graceMs: number): Promise<boolean> {
    // drain, not unsubscribe: a request NATS had already handed to this client is still handled.
    await Promise.all(this.subs.splice(0).map((sub) => sub.drain().catch(() => undefined)));
    const drained = await this.inFlight.idle(graceMs);
    // The last reply is published just after its handler finished: flush sends it before closing.
    try {
      await this.unwrap<NatsConnection>().flush();
    } catch {
      // Not connected (or never started): there is nothing to flush.
    }
    return drained;
  }
}
