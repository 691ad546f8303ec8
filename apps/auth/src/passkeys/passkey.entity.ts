import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

/** PostgreSQL hands bigint back as a string; a WebAuthn signature counter fits in 32 bits. */
const counterColumn = {
  to: (value: number): number => value,
  from: (value: string | number): number => Number(value),
};

/** A passkey (WebAuthn credential) of a user (AUTH-10). Only the public key is ever known to us. */
@Entity({ name: 'passkey' })
export class Passkey {
  @PrimaryColumn('uuid')
  id!: string;

  @Index()
  @Column('uuid', { name: 'user_id' })
  userId!: string;

  /** The authenticator's credential id, base64url; unique across all users. */
  @Column({ name: 'credential_id', type: 'text', unique: true })
  credentialId!: string;

  /** COSE public key as the authenticator gave it at registration. */
  @Column({ name: 'public_key', type: 'bytea' })
  publicKey!: Buffer;

  /** The last signature counter seen: a counter that does not go up reveals a cloned authenticator. */
  @Column({ type: 'bigint', transformer: counterColumn })
  counter!: number;

  /** How the browser may reach the authenticator (`internal`, `hybrid`, `usb`, …), a hint only. */
  @Column({ type: 'text', array: true })
  transports!: string[];

  /** The user's name for it, trimmed, 1–100 characters. */
  @Column({ type: 'text' })
  name!: string;

  @Column({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  @Column({ name: 'last_used_at', type: 'timestamptz', nullable: true })
  lastUsedAt!: Date | null;
}
