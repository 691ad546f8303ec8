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
});

function safeProtocol(value: string): string {
  try {
    return new URL(value).protocol;
  } catch {
    return '';
  }
}

export type AuditServiceEnv = z.infer<typeof auditServiceEnvSchema>;
