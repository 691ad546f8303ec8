/**
 * A signed statement of the audit trail's state (AUDIT-3): "the chain had `count` records and its
 * head was `headHash` at `time`". The audit service publishes one every N records or T seconds on
 * `audit-checkpoint.<headSeq>` into the stream AUDIT_CHECKPOINTS, out of reach of the database. A
 * table rewritten later, even into a consistent chain, no longer matches what was signed.
 */
export interface AuditCheckpoint {
  /** Records in the chain up to and including the head. */
  count: number;
  /** Chain position (`seq`) of the head record. */
  headSeq: number;
  /** Hash of the head record (sha256 hex). */
  headHash: string;
  /** When it was signed (ISO 8601 UTC). */
  time: string;
  /** Which key signed it: the first 16 hex digits of the SHA-256 of the raw public key. */
  keyId: string;
  /**
   * Ed25519 signature (base64url) of the canonical JSON (keys sorted, no spaces) of
   * `{count, headHash, headSeq, time}`.
   */
  signature: string;
}

export const AUDIT_CHECKPOINT_STREAM = 'AUDIT_CHECKPOINTS';
export const AUDIT_CHECKPOINT_SUBJECT_PREFIX = 'audit-checkpoint';

export function auditCheckpointSubject(headSeq: number): string {
  return `${AUDIT_CHECKPOINT_SUBJECT_PREFIX}.${headSeq}`;
}

/** The public key that verifies checkpoints, served at `GET /api/v1/audit/signing-key`. */
export interface AuditSigningKeyView {
  algorithm: 'Ed25519';
  keyId: string;
  /** The raw 32-byte public key, base64url. */
  publicKey: string;
  /** The same key as a JSON Web Key. */
  jwk: { kty: 'OKP'; crv: 'Ed25519'; x: string; kid: string; use: 'sig' };
}
