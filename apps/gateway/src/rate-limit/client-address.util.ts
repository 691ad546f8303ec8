import { isIPv4, isIPv6 } from 'node:net';

/**
 * The bucket of a client address: an IPv4 address as it is, an IPv6 address by its /64 (one home or
 * office gets a whole /64, so counting single IPv6 addresses would give a client 2^64 buckets). An
 * IPv4-mapped IPv6 address (`::ffff:192.0.2.1`) is its IPv4 address.
 */
export function addressBucket(ip: string | undefined): string {
  if (!ip) {
    return 'unknown';
  }
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(ip);
  if (mapped) {
    return mapped[1];
  }
  if (isIPv4(ip) || !isIPv6(ip)) {
    return ip;
  }
  return `${expandIPv6(ip).slice(0, 4).join(':')}::/64`;
}

/** The eight groups of an IPv6 address, each as a lower-case number without leading zeros. */
function expandIPv6(ip: string): string[] {
  const [head, tail] = ip.toLowerCase().split('%')[0].split('::');
  const parse = (part: string | undefined): string[] =>
    part ? part.split(':').map((group) => parseInt(group, 16).toString(16)) : [];
  const left = parse(head);
  const right = parse(tail);
  const missing = tail === undefined ? 0 : 8 - left.length - right.length;
  return [...left, ...Array<string>(missing).fill('0'), ...right];
}
