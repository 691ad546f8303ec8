import { ServerNats } from '@nestjs/microservices';
import type { Msg, NatsConnection, Subscription } from 'nats';
import type { Observable } from 'rxjs';
import { IN_FLIGHT_REQUESTS, InFlightRequests } from './in-flight';

type NatsServerOptions = ConstructorParameters<typeof ServerNats>[0];
type Publish = ReturnType<ServerNats['getPublisher']>;
type Packet = Parameters<Publish>[0];

/** One message this replica took, from its arrival until its reply has left. */
interface Taken {
  /** Nest handed the reply stream to `send`: the last packet of that stream ends the message. */
  streaming: boolean;
  done: () => void;
}

/**
 * Nest's NATS server with a shutdown that loses no reply: `stopTaking()` ends this replica's
 * subscriptions (new requests go to the other replicas of the queue group, or fail fast with "no
 * responders"), waits for the requests in hand to be answered, and flushes the replies; only then is
 * the connection closed. Nest's own close drops the connection with replies still to be sent.
 *
 * A message counts as in hand from the moment it arrives until its reply has been handed to the
 * connection — not only while its handler runs. Between arrival and the handler there are several
 * awaits (decoding, guards, pipes); a drain finishing in that gap used to find nothing in hand and
 * close the connection under a request it had taken, whose caller then waited for its timeout.
 */
export class DrainingNatsServer extends ServerNats {
  private readonly subs: Subscription[] = [];
  private readonly taken = new WeakMap<Msg, Taken>();
  private readonly publishers = new WeakMap<Publish, Taken>();

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

  override async handleMessage(channel: string, natsMsg: Msg): Promise<unknown> {
    let open = true;
    const taken: Taken = {
      streaming: false,
      done: () => {
        if (open) {
          open = false;
          this.inFlight.leave();
        }
      },
    };
    this.inFlight.enter();
    this.taken.set(natsMsg, taken);
    try {
      return await super.handleMessage(channel, natsMsg);
    } finally {
      // An event, a request without a handler (answered at once) or one that failed before its
      // reply stream began: nothing more will be sent for it.
      if (!taken.streaming) {
        taken.done();
      }
    }
  }

  override getPublisher(natsMsg: Msg, id: string, ctx: Parameters<ServerNats['getPublisher']>[2]): Publish {
    const publish = super.getPublisher(natsMsg, id, ctx);
    const taken = this.taken.get(natsMsg);
    if (!taken || !natsMsg.reply) {
      return publish;
    }
    const tracked: Publish = (packet: Packet) => {
      try {
        return publish(packet);
      } finally {
        // The reply is in the connection's outgoing buffer now; stopTaking's flush sends it.
        if (packet.isDisposed) {
          taken.done();
        }
      }
    };
    this.publishers.set(tracked, taken);
    return tracked;
  }

  override send(stream$: Observable<unknown>, respond: Publish): ReturnType<ServerNats['send']> {
    const taken = this.publishers.get(respond);
    if (taken) {
      taken.streaming = true;
    }
    return super.send(stream$, respond);
  }

  /** Resolves true when every request in hand was answered within `graceMs`. */
  async stopTaking(graceMs: number): Promise<boolean> {
    // drain, not unsubscribe: a request NATS had already handed to this client is still handled.
    await Promise.all(this.subs.splice(0).map((sub) => sub.drain().catch(() => undefined)));
    const drained = await this.inFlight.idle(graceMs);
    // The last reply was handed to the connection just now: flush sends it before closing.
    try {
      await this.unwrap<NatsConnection>().flush();
    } catch {
      // Not connected (or never started): there is nothing to flush.
    }
    return drained;
  }
}
