import { DomainError, ErrorCode } from '@app/contracts';

/** AUTH-1: a user ID is 1–40 characters. */
export const MAX_USER_ID_LENGTH = 40;

/** AUTH-1: the suggested ID is the e-mail address with this suffix. */
export const SUGGESTED_USER_ID_SUFFIX = '.fm';

/**
 * The user ID as it will be stored (surrounding spaces dropped), or `400 validation_failed` when it
 * breaks AUTH-1. The wire DTOs accept up to 254 characters so a login with any input is answered
 * uniformly; creation is where the 40-character rule applies.
 */
export function checkedUserId(raw: string): string {
  const userId = raw.trim();
  const length = [...userId].length;
  if (length < 1 || length > MAX_USER_ID_LENGTH || /[\p{Cc}\p{Cs}]/u.test(userId)) {
    throw new DomainError(ErrorCode.ValidationFailed, {
      fields: { userId: [`userId must be 1–${MAX_USER_ID_LENGTH} printable characters`] },
    });
  }
  return userId;
}

/**
 * AUTH-1: the user ID suggested for an e-mail address — the address + `.fm`. An address of 38 or
 * more characters is cut to its first 37 before the suffix, so the suggestion always fits the 40
 * characters of a user ID (the portal's rule). Characters, not UTF-16 units, are counted, so an
 * internationalised address is never cut inside a character.
 */
export function suggestedUserId(email: string): string {
  const characters = [...email.trim()];
  const room = MAX_USER_ID_LENGTH - SUGGESTED_USER_ID_SUFFIX.length;
  return characters.slice(0, room).join('') + SUGGESTED_USER_ID_SUFFIX;
}
