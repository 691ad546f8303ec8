/**
 * A bench's `--name=value` options: numbers, except the names in `strings`, which stay as given.
 */
export function benchArgs(strings = []) {
  return Object.fromEntries(
    process.argv
      .slice(2)
      .map((a) => a.replace(/^--/, '').split('='))
      .map(([k, v]) => [k, strings.includes(k) ? v : Number(v)]),
  );
}
