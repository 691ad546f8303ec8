/**
 * The key one user ID is known by: case and surrounding spaces do not make another ID (AUTH-1), and
 * every variant shares one lockout count (AUTH-3). NFKC folds full-width input typed on Japanese
 * keyboards onto the same key. The one definition, for auth (the unique index, the lockout) and the
 * gateway (the per-account rate limit) alike: normalising before trimming matters, as NFKC turns
 * some characters into a space plus a combining mark, and two orders would make two keys.
 */
export function normalizeUserId(raw: string): string {
  return raw.normalize('NFKC').trim().toLowerCase();
}
