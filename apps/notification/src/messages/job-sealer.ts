import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG, NotificationEnv } from '@app/config';
import { NotificationJobData } from '@app/contracts';

const VERSION = 'v1';
const IV_BYTES = 12;
const TAG_BYTES = 16;
/** Fixed HKDF salt and info: they separate this key from the recipient HMAC keyed by the same secret. */
const HKDF_SALT = 'mamori/notification-job';
const HKDF_INFO = 'v1 aes-256-gcm';

/**
 * Seals the copy of a job kept with its `queued` message record (the job holds a code or a reset
 * link, so never in clear): AES-256-GCM with a key derived by HKDF-SHA256 from RECIPIENT_HASH_SECRET,
 * a fresh IV each time, the message id bound as associated data (a copy moved to another record does
 * not open). Without the secret (development) no copy is kept, and a lost job cannot be queued again.
 */
@Injectable()
export class JobSealer {
  private readonly key: Buffer | null;

  constructor(@Inject(APP_CONFIG) config: Pick<NotificationEnv, 'RECIPIENT_HASH_SECRET'>) {
    this.key = config.RECIPIENT_HASH_SECRET
      ? Buffer.from(hkdfSync('sha256', config.RECIPIENT_HASH_SECRET, HKDF_SALT, HKDF_INFO, 32))
      : null;
  }

  seal(data: NotificationJobData): string | null {
    if (!this.key) {
      return null;
    }
    const iv = randomBytes(IV_BYTES);
    const cipher = createCipheriv('aes-256-gcm', this.key, iv, { authTagLength: TAG_BYTES });
    cipher.setAAD(Buffer.from(data.messageId, 'utf8'));
    const ciphertext = Buffer.concat([cipher.update(JSON.stringify(data), 'utf8'), cipher.final()]);
    return [VERSION, iv, cipher.getAuthTag(), ciphertext]
      .map((p) => (typeof p === 'string' ? p : p.toString('base64url')))
      .join('.');
  }

  /** The job, or null when there is no key, or the copy was altered or belongs to another message. */
  open(sealed: string, messageId: string): NotificationJobData | null {
    const parts = sealed.split('.');
    if (!this.key || parts.length !== 4 || parts[0] !== VERSION) {
      return null;
    }
    try {
      const [iv, tag, ciphertext] = parts.slice(1).map((p) => Buffer.from(p, 'base64url'));
      const decipher = createDecipheriv('aes-256-gcm', this.key, iv, { authTagLength: TAG_BYTES });
      decipher.setAAD(Buffer.from(messageId, 'utf8'));
      decipher.setAuthTag(tag);
      const data = JSON.parse(
        Buffer.concat([decipher.update(ciphertext), decipher.final()]).toString('utf8'),
      ) as NotificationJobData;
      return data.messageId === messageId ? data : null;
    } catch {
      return null;
    }
  }
}
