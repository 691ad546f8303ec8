import { NatsSettings } from '@app/messaging';

/** The NATS users of deploy/nats/permissions.json, and the test-only user without restrictions. */
export type NatsUser =
  'gateway' | 'auth' | 'notification' | 'case-management' | 'audit' | 'audit-ingest' | 'cli' | 'test-harness';

/** The environment variable of a user's password (as scripts/lib/nats-auth.mjs names it). */
export function natsPasswordVariable(user: NatsUser): string {
  return `MAMORI_NATS_PASSWORD_${user.toUpperCase().replace(/[^A-Z0-9]/g, '_')}`;
}

/** NATS_USER and NATS_PASSWORD of one user on the run's NATS (`npm test` sets every password). */
export function natsUserEnv(
  user: NatsUser,
  env: NodeJS.ProcessEnv = process.env,
): { NATS_USER: string; NATS_PASSWORD: string } {
  const password = env[natsPasswordVariable(user)];
  if (!password) {
    throw new Error(`${natsPasswordVariable(user)} not set: run the tests through \`npm test\``);
  }
  return { NATS_USER: user, NATS_PASSWORD: password };
}

/** Connection settings to connect to `url` (default: the run's NATS) as `user`. */
export function natsSettingsAs(user: NatsUser, url: string = process.env.NATS_URL ?? ''): NatsSettings {
  return { NATS_URL: url, ...natsUserEnv(user) };
}

/** The audit service's second NATS identity, its stream consumer's (AUDIT_INGEST_NATS_USER). */
export function auditIngestNatsEnv(env: NodeJS.ProcessEnv = process.env): {
  AUDIT_INGEST_NATS_USER: string;
  AUDIT_INGEST_NATS_PASSWORD: string;
} {
  const { NATS_USER, NATS_PASSWORD } = natsUserEnv('audit-ingest', env);
  return { AUDIT_INGEST_NATS_USER: NATS_USER, AUDIT_INGEST_NATS_PASSWORD: NATS_PASSWORD };
}
