import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG, AuthEnv } from '@app/config';

const VERSION = 'v1';
const IV_BYTES = 12;
const TAG_BYTES = 16;
/** Fixed HKDF salt and info: they separate this key from any other use of DATA_ENCRYPTION_KEY. */
const HKDF_SALT = 'mamori/secret-box';
const HKDF_INFO = 'v1 aes-256-gcm';

/**
 * Secrets that Mamori must read back (TOTP secrets, AUTH-8) are encrypted at rest: AES-256-GCM with a
 * key derived from DATA_ENCRYPTION_KEY by HKDF-SHA256, a fresh random 12-byte IV each time, stored as
 * `v1.<iv>.<tag>.<ciphertext>` (base64url). The version names key and algorithm, so a later key
 * rotation can read old rows. `context` (e.g. the owner's id) is bound as associated data: a
 * ciphertext copied onto another row does not open there.
 */
@Injectable()
export class SecretBox {
  private readonly key: Buffer;

  constructor(@Inject(APP_CONFIG) config: Pick<AuthEnv, 'DATA_ENCRYPTION_KEY'>) {
    this.key = Buffer.from(hkdfSync('sha256', config.DATA_ENCRYPTION_KEY, HKDF_SALT, HKDF_INFO, 32));
  }

  seal(plaintext: string, context = ''): string {
    const iv = randomBytes(IV_BYTES);
    const cipher = createCipheriv('aes-256-gcm', this.key, iv, { authTagLength: TAG_BYTES });
    cipher.setAAD(Buffer.from(context, 'utf8'));
    const ciphertext = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
    const tag = cipher.getAuthTag();
    return [VERSION, iv, tag, ciphertext]
      .map((p) => (typeof p === 'string' ? p : p.toString('base64url')))
      .join('.');
  }

  /** The plaintext; throws when the value was altered, sealed with another key or for another context. */
  open(sealed: string, context = ''): string {
    const parts = sealed.split('.');
    if (parts.length !== 4 || parts[0] !== VERSION) {
      throw new Error('secret box: unknown format');
    }
    const [iv, tag, ciphertext] = parts.slice(1).map((p) => Buffer.from(p, 'base64url'));
    if (iv.length !== IV_BYTES || tag.length !== TAG_BYTES) {
      throw new Error('secret box: unknown format');
    }
    const decipher = createDecipheriv('aes-256-gcm', this.key, iv, { authTagLength: TAG_BYTES });
    decipher.setAAD(Buffer.from(context, 'utf8'));
    decipher.setAuthTag(tag);
    // final() throws "Unsupported state or unable to authenticate data" on any mismatch.
    return Buffer.concat([decipher.update(ciphertext), decipher.final()]).toString('utf8');
  }
}
