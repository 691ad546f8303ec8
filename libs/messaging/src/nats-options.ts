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

/**
 * How this process connects to NATS: the server of NATS_URL, and its identity there — the user and
 * password of the URL (`nats://auth:secret@nats:4222`) or of NATS_USER/NATS_PASSWORD, or a
 * credentials file (NATS_CREDS) — plus TLS. Each Mamori process has a NATS user of its own whose
 * permissions name the subjects it may use (deploy/nats/permissions.json); its reply inbox is
 * `_INBOX.<user>.…`, so the permissions can let it read its own replies and no one else's.
 */
export function natsConnectionOptions(settings: NatsSettings): ConnectionOptions {
  const url = new URL(settings.NATS_URL);
  const user = decodeURIComponent(url.username) || settings.NATS_USER;
  const pass = decodeURIComponent(url.password) || settings.NATS_PASSWORD;
  // The server address alone: credentials go in their own options, never into logs with the URL.
  const options: ConnectionOptions = { servers: [`${url.protocol}//${url.host}`] };
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
