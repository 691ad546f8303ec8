import { createHash } from 'node:crypto';
import { PasskeyDescriptorJson } from '@app/contracts';

/** Lengths real authenticators give credential ids (platform passkeys 16–32 bytes, security keys 48–64). */
const DECOY_ID_LENGTHS = [16, 20, 32, 64];

/**
 * The passkey a login for a user ID without any passkey (unknown, or none registered) is offered, so
 * that `POST /auth/passkey/options {userId}` answers the same shape for every ID (AUTH-10, no user
 * enumeration). It is derived from a keyed hash of the ID (`seed`, an HMAC under our secret), so
 * asking twice gives the same decoy, as it would a real passkey, and nobody can compute it offline.
 * No authenticator holds it, so it never verifies.
 */
export function decoyCredentials(seed: string): PasskeyDescriptorJson[] {
  const seedBytes = Buffer.from(seed, 'hex');
  const length = DECOY_ID_LENGTHS[seedBytes[0] % DECOY_ID_LENGTHS.length];
  const id = Buffer.concat(
    [0, 1].map((i) => createHash('sha256').update(seedBytes).update(String(i)).digest()),
  )
    .subarray(0, length)
    .toString('base64url');
  return [{ id, type: 'public-key', transports: ['hybrid', 'internal'] }];
}
