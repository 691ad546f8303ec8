import { isIPv4, isIPv6 } from 'node:net';

/**
 * The network an address belongs to, as the risk check compares them (AUTH-11): IPv4 /24 and IPv6
 * /48 — the usual size of one site's allocation, so a new address from the same office or home
 * line is not "new", while another provider or place is. IPv4-mapped IPv6 counts as IPv4. Null
 * when there is no usable address.
 */
export function ipNetwork(ip: string | null | undefined): string | null {
  if (!ip) {
    return null;
  }
  const address = ip.trim().replace(/%.*$/, '');
  if (isIPv4(address)) {
    return ipv4Network(address);
  }
  if (!isIPv6(address)) {
    return null;
  }
  const groups = expandIpv6(address);
  if (groups.slice(0, 5).every((g) => g === 0) && groups[5] === 0xffff) {
    return ipv4Network(`${groups[6] >> 8}.${groups[6] & 0xff}.${groups[7] >> 8}.${groups[7] & 0xff}`);
  }
  return `${groups
    .slice(0, 3)
    .map((g) => g.toString(16))
    .join(':')}::/48`;
}

function ipv4Network(address: string): string {
  const [a, b, c] = address.split('.').map(Number);
  return `${a}.${b}.${c}.0/24`;
}

/** The eight 16-bit groups of a valid IPv6 address (`::` and a trailing dotted IPv4 expanded). */
function expandIpv6(address: string): number[] {
  let text = address.toLowerCase();
  const dotted = /(\d+\.\d+\.\d+\.\d+)$/.exec(text);
  if (dotted) {
    const [a, b, c, d] = dotted[1].split('.').map(Number);
    text = `${text.slice(0, dotted.index)}${((a << 8) | b).toString(16)}:${((c << 8) | d).toString(16)}`;
  }
  const [head, tail] = text.split('::');
  const parse = (part: string | undefined) => (part ? part.split(':').map((g) => parseInt(g, 16)) : []);
  const left = parse(head);
  const right = parse(tail);
  const zeros = tail === undefined ? [] : new Array<number>(8 - left.length - right.length).fill(0);
  return [...left, ...zeros, ...right];
}
