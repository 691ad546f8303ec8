import type { Request } from 'express';

/** 127.0.0.0/8, ::1 and their IPv4-mapped forms. */
export function isLoopbackAddress(address: string | undefined): boolean {
  if (!address) {
    return false;
  }
  const v4 = address.toLowerCase().startsWith('::ffff:') ? address.slice(7) : address;
  return /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(v4) || address === '::1';
}

/**
 * A client on this machine: the TCP peer is loopback (what a header cannot fake), and the client that
 * a trusted proxy names is loopback too (a proxy on this machine forwarding someone from elsewhere
 * connects over loopback, but says who it forwards in X-Forwarded-For).
 */
export function isLoopbackClient(req: Pick<Request, 'socket' | 'ip'>): boolean {
  return isLoopbackAddress(req.socket.remoteAddress) && isLoopbackAddress(req.ip);
}
