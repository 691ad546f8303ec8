import { DomainError, ErrorCode } from '@app/contracts';

/** AUTH-1: a user ID is 1–40 characters. */
export const MAX_USER_ID_LENGTH = 40;

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
