import type { Response } from 'express';
import { GatewayRequest } from '../request-context/gateway-request';

/**
 * Copies the caller's verified access token into the httpOnly, SameSite=Strict cookie `name`, sent
 * only to `paths` (one cookie per path, all of the same name) and gone when the token expires, so a
 * page the browser opens by plain navigation can be read without the `Authorization` header. Only
 * the routes marked `@BearerFromCookie(name)` read it, and only on GET and HEAD.
 */
export function setBearerCookie(
  req: GatewayRequest,
  res: Response,
  now: Date,
  cookie: { name: string; paths: readonly string[] },
): void {
  // The guard has verified the token and put it here; its own expiry bounds the cookie's.
  const token = req.callContext?.accessToken ?? '';
  const maxAge = Math.max(0, secondsLeft(token, now) * 1000);
  for (const path of cookie.paths) {
    res.cookie(cookie.name, token, { httpOnly: true, sameSite: 'strict', secure: req.secure, path, maxAge });
  }
}

/** Seconds until a verified access token's `exp`. */
function secondsLeft(token: string, now: Date): number {
  const claims = JSON.parse(Buffer.from(token.split('.')[1] ?? '', 'base64url').toString('utf8')) as {
    exp?: unknown;
  };
  return typeof claims.exp === 'number' ? Math.floor(claims.exp - now.getTime() / 1000) : 0;
}
