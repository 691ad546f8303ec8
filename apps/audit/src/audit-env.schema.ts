import { z } from 'zod';
import { auditEnvSchema } from '@app/config';

/** The audit service's environment: the shared audit schema plus the stream consumer's settings. */
export const auditServiceEnvSchema = auditEnvSchema.extend({
  /**
   * Durable JetStream consumer shared by every replica (pull consumers spread messages over all
   * who fetch). Only a separate trail (a test, a second store) takes another name.
   */
  AUDIT_CONSUMER_NAME: z
    .string()
    .regex(/^[A-Za-z0-9_-]{1,64}$/, 'it must be 1-64 letters, digits, "_" or "-"')
    .default('audit-store'),
  /**
   * Where a consumer that does not exist yet starts: `all` (the whole stream, the only right choice
   * for the real trail) or `new` (only what is published from now on; for tests on a shared NATS).
   */
  AUDIT_CONSUMER_START: z.enum(['all', 'new']).default('all'),
  /**
   * The role the service works as (AUDIT-3): one that may only INSERT and SELECT the trail (a member
   * of `mamori_audit_writer`). Migrations still run as DATABASE_URL, the schema owner. Unset, the
   * service works as DATABASE_URL too, which a production deployment must not do: the owner can
   * switch the append-only triggers off.
   */
  AUDIT_DATABASE_URL: z
    .string()
    .refine((v) => /^postgres(ql)?:$/.test(safeProtocol(v)), 'it must be a URL starting with postgres://')
    .optional(),
  /**
   * Secret (32+ random characters) from which the Ed25519 key that signs checkpoints is derived
   * (AUDIT-3). Losing it only means later checkpoints are signed by a new key; leaking it lets
   * someone sign a rewritten trail, so it is kept like the other secrets.
   */
  AUDIT_SIGNING_KEY: z.string().min(32, 'it must be at least 32 characters long'),
  /**
   * The NATS user the stream consumer connects as (`audit-ingest` in deploy/nats/permissions.json),
   * apart from the service's own user: that one answers requests (allow_responses), and nats-server
   * then records the reply subject of every message it is delivered, each JetStream message included,
   * which holds ingest to a few hundred events per second. Unset: the service's own NATS user.
   */
  AUDIT_INGEST_NATS_USER: z.string().min(1).optional(),
  AUDIT_INGEST_NATS_PASSWORD: z.string().min(1).optional(),
  /** A checkpoint after this many new records … */
  AUDIT_CHECKPOINT_EVERY: z.coerce.number().int().positive().default(10_000),
  /** … or after this many seconds with new records, whichever comes first. */
  AUDIT_CHECKPOINT_SECONDS: z.coerce.number().int().positive().default(60),
});

function safeProtocol(value: string): string {
  try {
    return new URL(value).protocol;
  } catch {
    return '';
  }
}

export type AuditServiceEnv = z.infer<typeof auditServiceEnvSchema>;
