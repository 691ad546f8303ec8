import { createHash, createPrivateKey, createPublicKey, KeyObject, sign, verify } from 'node:crypto';
import { AuditCheckpoint, AuditSigningKeyView } from '@app/contracts';
import { canonicalJson } from './canonical-json.util';

/** DER prefix of a PKCS#8 Ed25519 private key; the 32-byte seed follows (RFC 8410). */
const PKCS8_ED25519_PREFIX = Buffer.from('302e020100300506032b657004220420', 'hex');

export type UnsignedCheckpoint = Pick<AuditCheckpoint, 'count' | 'headSeq' | 'headHash' | 'time'>;

/** The bytes an Ed25519 signature of a checkpoint covers. */
export function checkpointSigningInput(checkpoint: UnsignedCheckpoint): Buffer {
  return Buffer.from(
    canonicalJson({
      count: checkpoint.count,
      headHash: checkpoint.headHash,
      headSeq: checkpoint.headSeq,
      time: checkpoint.time,
    }),
    'utf8',
  );
}

/**
 * The Ed25519 key pair of AUDIT_SIGNING_KEY. The secret is any string of 32+ random characters
 * (as `npm start` generates every secret); its SHA-256 is the key's seed, so the same secret always
 * gives the same key and no key file format is needed.
 */
export class CheckpointSigner {
  private readonly privateKey: KeyObject;
  readonly publicKey: KeyObject;
  readonly keyId: string;

  constructor(secret: string) {
    const seed = createHash('sha256').update(`mamori-audit-checkpoint:${secret}`, 'utf8').digest();
    this.privateKey = createPrivateKey({
      key: Buffer.concat([PKCS8_ED25519_PREFIX, seed]),
      format: 'der',
      type: 'pkcs8',
    });
    this.publicKey = createPublicKey(this.privateKey);
    this.keyId = keyIdOf(this.publicKey);
  }

  sign(checkpoint: UnsignedCheckpoint): AuditCheckpoint {
    const signature = sign(null, checkpointSigningInput(checkpoint), this.privateKey).toString('base64url');
    return { ...checkpoint, keyId: this.keyId, signature };
  }

  view(): AuditSigningKeyView {
    return signingKeyView(this.publicKey);
  }
}

/** A public key from its raw 32 bytes (base64url), as served at the signing-key endpoint. */
export function publicKeyFromRaw(base64url: string): KeyObject {
  return createPublicKey({ key: { kty: 'OKP', crv: 'Ed25519', x: base64url }, format: 'jwk' });
}

export function signingKeyView(publicKey: KeyObject): AuditSigningKeyView {
  const x = (publicKey.export({ format: 'jwk' }) as { x: string }).x;
  const kid = keyIdOf(publicKey);
  return {
    algorithm: 'Ed25519',
    keyId: kid,
    publicKey: x,
    jwk: { kty: 'OKP', crv: 'Ed25519', x, kid, use: 'sig' },
  };
}

/** Whether `checkpoint` was signed by the private half of `publicKey`. */
export function checkpointSignatureValid(checkpoint: AuditCheckpoint, publicKey: KeyObject): boolean {
  try {
    return verify(
      null,
      checkpointSigningInput(checkpoint),
      publicKey,
      Buffer.from(checkpoint.signature, 'base64url'),
    );
  } catch {
    return false;
  }
}

function keyIdOf(publicKey: KeyObject): string {
  const x = (publicKey.export({ format: 'jwk' }) as { x: string }).x;
  return createHash('sha256').update(Buffer.from(x, 'base64url')).digest('hex').slice(0, 16);
}
