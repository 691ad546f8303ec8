/**
 * The configurable allow/deny list of attachment types (CASE-6): comma-separated media types, `type/*`
 * for a whole family, or `*` for any. A type is accepted when the allow list matches it and the deny
 * list does not: denied types win.
 */
export class MediaTypePolicy {
  private readonly allowed: string[];
  private readonly denied: string[];

  constructor(allowed: string, denied: string) {
    this.allowed = parseList(allowed);
    this.denied = parseList(denied);
  }

  accepts(mediaType: string): boolean {
    const type = mediaType.toLowerCase();
    return matchesAny(this.allowed, type) && !matchesAny(this.denied, type);
  }
}

function parseList(value: string): string[] {
  return value
    .split(',')
    .map((entry) => entry.trim().toLowerCase())
    .filter((entry) => entry.length > 0);
}

function matchesAny(patterns: string[], type: string): boolean {
  return patterns.some(
    (pattern) =>
      pattern === '*' ||
      pattern === type ||
      (pattern.endsWith('/*') && type.startsWith(pattern.slice(0, -1))),
  );
}
