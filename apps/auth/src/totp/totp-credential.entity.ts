import { Column, Entity, PrimaryColumn, ValueTransformer } from 'typeorm';

/** PostgreSQL hands bigint back as a string; time steps fit a JS number for millions of years. */
const stepNumber: ValueTransformer = {
  to: (value: number | null) => value,
  from: (value: string | null) => (value === null ? null : Number(value)),
};

/**
 * A user's authenticator app (AUTH-8). The secret is kept sealed by SecretBox (never in clear); the
 * credential counts as enabled only once `enabledAt` is set by a confirmed code. `lastUsedStep` is
 * the newest RFC 6238 time step accepted, so no code is accepted twice.
 */
@Entity({ name: 'totp_credential' })
export class TotpCredential {
  @PrimaryColumn('uuid', { name: 'user_id' })
  userId!: string;

  @Column({ name: 'secret_enc', type: 'text' })
  secretEnc!: string;

  @Column({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  @Column({ name: 'enabled_at', type: 'timestamptz', nullable: true })
  enabledAt!: Date | null;

  @Column({ name: 'last_used_step', type: 'bigint', nullable: true, transformer: stepNumber })
  lastUsedStep!: number | null;
}
