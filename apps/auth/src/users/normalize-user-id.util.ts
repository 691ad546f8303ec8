/**
 * The key one user ID is known by: case and surrounding spaces do not make another ID (AUTH-1), and
 * every variant shares one lockout count (AUTH-3). NFKC folds full-width input typed on Japanese
 * keyboards onto the same key.
 */
export function normalizeUserId(raw: string): string {
  return raw.normalize('NFKC').trim().toLowerCase();
}
