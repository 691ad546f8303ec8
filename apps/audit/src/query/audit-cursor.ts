import { createHash, createHmac, hkdfSync, timingSafeEqual } from 'node:crypto';
import { DomainError, ErrorCode } from '@app/contracts';

/** Where a page ends: the (time, id) of its last event, the key the next page starts after. */
export interface CursorPosition {
  /** occurred_at in UTC to the microsecond, as PostgreSQL stores it (a JS Date would lose µs). */
  time: string;
  id: string;
}

const TIME = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z$/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/**
 * Opaque, signed page cursors (AUDIT-4). A cursor is `base64url(JSON).base64url(HMAC-SHA256)`: the
 * position plus a digest of the tenant and filters it was issued for. The signature means a client
 * cannot make up positions (or probe another tenant's trail by crafting one), and the digest means a
 * cursor is only good for the query that produced it. Anything else is `400 validation_failed`.
 *
 * The HMAC key is derived (HKDF, its own label) from AUDIT_SIGNING_KEY, the secret the service has
 * already, so no new secret needs deploying; changing that secret only invalidates open cursors.
 */
export class AuditCursorCodec {
  private readonly key: Buffer;

  constructor(secret: string) {
    this.key = Buffer.from(hkdfSync('sha256', secret, 'mamori', 'audit query cursor v1', 32));
  }

  encode(position: CursorPosition, scope: string): string {
    const body = Buffer.from(
      JSON.stringify({ t: position.time, i: position.id, s: scopeDigest(scope) }),
    ).toString('base64url');
    return `${body}.${this.sign(body)}`;
  }

  /** The position of a cursor issued for `scope`, or a validation error naming the cursor. */
  decode(cursor: string, scope: string): CursorPosition {
    const [body, signature, ...rest] = cursor.split('.');
    if (rest.length > 0 || !body || !signature) {
      throw badCursor();
    }
    const expected = Buffer.from(this.sign(body));
    const given = Buffer.from(signature);
    if (expected.length !== given.length || !timingSafeEqual(expected, given)) {
      throw badCursor();
    }
    let parsed: unknown;
    try {
      parsed = JSON.parse(Buffer.from(body, 'base64url').toString('utf8'));
    } catch {
      throw badCursor();
    }
    const { t, i, s } = (parsed ?? {}) as Record<string, unknown>;
    if (typeof t !== 'string' || !TIME.test(t) || typeof i !== 'string' || !UUID.test(i)) {
      throw badCursor();
    }
    if (s !== scopeDigest(scope)) {
      throw badCursor('was issued for other filters');
    }
    return { time: t, id: i };
  }

  private sign(body: string): string {
    return createHmac('sha256', this.key).update(body).digest('base64url');
  }
}

function scopeDigest(scope: string): string {
  return createHash('sha256').update(scope).digest('base64url').slice(0, 16);
}

function badCursor(why = 'is not a cursor of this query'): DomainError {
  return new DomainError(ErrorCode.ValidationFailed, { fields: { cursor: [`cursor ${why}`] } });
}
