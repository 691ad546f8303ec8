import type { ConnectionOptions } from 'nats';

/** First reconnect attempt after about a second; later ones at the same pace, jittered. */
const RECONNECT_WAIT_MS = 1_000;
/** Spread of each wait, so a fleet of clients does not reconnect in lock step after an outage. */
const RECONNECT_JITTER_MS = 1_000;

/**
 * The connection options of every NATS client Mamori opens (the RPC client, each service's listener,
 * JetStream consumers and outbox relays), so they all behave the same when NATS goes away: they
 * reconnect forever, with jittered waits, and the client library resubscribes on its own. The
 * library's default (10 attempts) gave up after about 20 s and left a dead connection for good.
 */
export function natsConnectionOptions(url: string, name: string): ConnectionOptions {
  return {
    servers: [url],
    name,
    maxReconnectAttempts: -1,
    reconnectTimeWait: RECONNECT_WAIT_MS,
    reconnectJitter: RECONNECT_JITTER_MS,
  };
}
