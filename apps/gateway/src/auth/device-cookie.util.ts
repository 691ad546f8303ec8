import type { CookieOptions, Request, Response } from 'express';
import { MAX_TOKEN, textProblem } from '@app/contracts';

/** The trusted-browser cookie (AUTH-9). */
export const DEVICE_COOKIE = 'mamori_device';
/** Longest trust a tenant may allow (AUTH-9: up to 90 days); auth decides whether the token is still valid. */
const DEVICE_COOKIE_MAX_AGE_MS = 90 * 24 * 60 * 60 * 1000;

/** The trusted-browser token a browser sent as cookie, if it has a plausible shape. */
export function deviceTokenFromCookie(req: Request): string | undefined {
  const value: unknown = (req.cookies as Record<string, unknown> | undefined)?.[DEVICE_COOKIE];
  // A cookie is percent-decoded, so it can carry any character: one that breaks the text rule is ignored.
  return typeof value === 'string' &&
    value.length > 0 &&
    value.length <= MAX_TOKEN &&
    textProblem(value, false) === null
    ? value
    : undefined;
}

/**
 * httpOnly so page scripts cannot read it, `secure` whenever the request was HTTPS at the edge
 * (req.secure honours X-Forwarded-Proto from a proxy TRUST_PROXY trusts) and always in production
 * (where a browser must never send it in clear, whatever a misconfigured proxy says), SameSite=Lax,
 * and sent only to the auth endpoints that read it.
 */
export function setDeviceCookie(req: Request, res: Response, token: string, production: boolean): void {
  const options: CookieOptions = {
    httpOnly: true,
    secure: req.secure || production,
    sameSite: 'lax',
    path: '/api/v1/auth',
    maxAge: DEVICE_COOKIE_MAX_AGE_MS,
  };
  res.cookie(DEVICE_COOKIE, token, options);
}
