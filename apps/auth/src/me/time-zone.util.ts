import { DomainError, ErrorCode } from '@app/contracts';

/** An IANA zone name: letters first, then letters, digits, `_`, `+`, `-` and `/` (`Etc/GMT+9`). */
const ZONE_NAME = /^[A-Za-z][A-Za-z0-9_+\-/]{0,63}$/;

/**
 * The IANA name of a time zone as ICU spells it (`asia/tokyo` → `Asia/Tokyo`, `US/Pacific` →
 * `America/Los_Angeles`), so one zone is stored one way. Anything ICU does not know, including a bare
 * UTC offset like `+09:00`, is `400 validation_failed` (AUTH-20).
 */
export function canonicalTimeZone(value: string): string {
  // Newer ICU versions accept offsets as zones; an offset has no daylight rules, so it is refused.
  if (ZONE_NAME.test(value)) {
    try {
      return new Intl.DateTimeFormat('en', { timeZone: value }).resolvedOptions().timeZone;
    } catch {
      // Not a zone ICU knows: refused below.
    }
  }
  throw new DomainError(ErrorCode.ValidationFailed, {
    fields: { timezone: ['timezone must be an IANA time zone, e.g. Asia/Tokyo'] },
  });
}
