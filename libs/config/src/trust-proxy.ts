import { isIP } from 'node:net';

/** Names Express (proxy-addr) knows for address ranges. */
const RANGE_NAMES = new Set(['loopback', 'linklocal', 'uniquelocal']);
const MAX_HOPS = 32;

/**
 * What the gateway tells Express about the proxies in front of it (`trust proxy`): a hop count (the
 * proxies between the client and the gateway, e.g. `1` behind one ingress), or a comma-separated list
 * of addresses, CIDR ranges and the names loopback, linklocal, uniquelocal. Whatever sits in front of
 * a trusted proxy is the client: X-Forwarded-For decides req.ip (the rate-limit bucket, the address in
 * login history) and X-Forwarded-Proto req.secure only when the hop that sent them is trusted.
 * Returns undefined for anything else, including "true" and /0 ranges: trusting every sender would let
 * each client pick its own address.
 */
export function parseTrustProxy(value: string): number | string[] | undefined {
  const trimmed = value.trim();
  if (/^\d+$/.test(trimmed)) {
    const hops = Number(trimmed);
    return hops <= MAX_HOPS ? hops : undefined;
  }
  const items = trimmed.split(',').map((item) => item.trim());
  if (items.length === 0 || !items.every(isTrustedRange)) {
    return undefined;
  }
  return items;
}

function isTrustedRange(item: string): boolean {
  if (RANGE_NAMES.has(item)) {
    return true;
  }
  const [address, prefix, ...rest] = item.split('/');
  const family = isIP(address);
  if (family === 0 || rest.length > 0) {
    return false;
  }
  if (prefix === undefined) {
    return true;
  }
  if (!/^\d{1,3}$/.test(prefix)) {
    return false;
  }
  const bits = Number(prefix);
  return bits >= 1 && bits <= (family === 4 ? 32 : 128);
}
