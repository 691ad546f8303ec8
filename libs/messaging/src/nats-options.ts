import fs from 'node:fs';
import { ConnectionOptions, credsAuthenticator } from 'nats';
import { BaseEnv } from '@app/config';

/** The NATS settings of a process's environment (libs/config validates them at boot). */
export type NatsSettings = Pick<BaseEnv, 'NATS_URL'> &
  Partial<
    Pick<
      BaseEnv,
      'NATS_USER' | 'NATS_PASSWORD' | 'NATS_CREDS' | 'NATS_TLS_CA' | 'NATS_TLS_CERT' | 'NATS_TLS_KEY'
    >
  >;

/** First reconnect attempt after about a second; later ones at the same pace, jittered. */
const RECONNECT_WAIT_MS = 1_000;
/** Spread of each wait, so a fleet of clients does not reconnect in lock step after an outage. */
const RECONNECT_JITTER_MS = 1_000;

/**
 * How this process connects to NATS: the server of NATS_URL, and its identity there — the user and
 * password of the URL (`nats://auth:secret@nats:4222`) or of NATS_USER/NATS_PASSWORD, or a
 * credentials file (NATS_CREDS) — plus TLS. Each Mamori process has a NATS user of its own whose
 * permissions name the subjects it may use (deploy/nats/permissions.json); its reply inbox is
 * `_INBOX.<user>.…`, so the permissions can let it read its own replies and no one else's.
 *
 * Every NATS client Mamori opens (the RPC client, each service's listener, JetStream consumers and
 * outbox relays) behaves the same when NATS goes away: it reconnects forever, with jittered waits,
 * and the client library resubscribes on its own. The library's default (10 attempts) gave up after
 * about 20 s and left a dead connection for good.
 */
export function natsConnectionOptions(settings: NatsSettings, name?: string): ConnectionOptions {
  const url = new URL(settings.NATS_URL);
  const user = decodeURIComponent(url.username) || settings.NATS_USER;
  const pass = decodeURIComponent(url.password) || settings.NATS_PASSWORD;
  // The server address alone: credentials go in their own options, never into logs with the URL.
  const options: ConnectionOptions = {
    servers: [`${url.protocol}//${url.host}`],
    ...(name ? { name } : {}),
    maxReconnectAttempts: -1,
    reconnectTimeWait: RECONNECT_WAIT_MS,
    reconnectJitter: RECONNECT_JITTER_MS,
  };
  if (user) {
    options.user = user;
    options.pass = pass;
    options.inboxPrefix = `_INBOX.${user}`;
  }
  if (settings.NATS_CREDS) {
    options.authenticator = credsAuthenticator(fs.readFileSync(settings.NATS_CREDS));
  }
  if (url.protocol === 'tls:' || settings.NATS_TLS_CA || settings.NATS_TLS_CERT) {
    options.tls = {
      ...(settings.NATS_TLS_CA ? { caFile: settings.NATS_TLS_CA } : {}),
      ...(settings.NATS_TLS_CERT ? { certFile: settings.NATS_TLS_CERT } : {}),
      ...(settings.NATS_TLS_KEY ? { keyFile: settings.NATS_TLS_KEY } : {}),
    };
  }
  return options;
}
