import { applyDecorators, SetMetadata } from '@nestjs/common';

export const IS_PUBLIC = 'mamori:public';

/** A route reachable without an access token. Every other route requires one (secure by default). */
export const Public = (): MethodDecorator & ClassDecorator => SetMetadata(IS_PUBLIC, true);

export const BEARER_WHEN_SENT = 'mamori:bearer-when-sent';

/**
 * A public route that still verifies an access token when one is sent, and passes its principal
 * on: the verify of a step-up flow needs the token of the session the flow belongs to, while the
 * verify of a login flow has none yet. A token that is sent and bad is refused as on any route.
 */
export const PublicWithOptionalBearer = (): MethodDecorator & ClassDecorator =>
  applyDecorators(SetMetadata(IS_PUBLIC, true), SetMetadata(BEARER_WHEN_SENT, true));

export const BEARER_COOKIE = 'mamori:bearer-cookie';

/** What `@BearerFromCookie` records: the cookie, and the formats it is read for (absent: always). */
export interface BearerCookieRule {
  cookie: string;
  formats?: readonly string[];
}

/**
 * A page a browser opens by plain navigation (the queue dashboard, a file download), which cannot
 * send an `Authorization` header: its GET and HEAD requests may carry the access token in the
 * httpOnly cookie `cookie` instead. Only reads: a request that changes something still needs the
 * header, so a cookie the browser adds by itself can never be made to act.
 *
 * `formats`: a route that answers both JSON pages and files (`?format=csv`) reads the cookie only
 * when the query's `format` is one of these, so the cookie fetches the file and never the page.
 */
export const BearerFromCookie = (
  cookie: string,
  options: { formats?: readonly string[] } = {},
): MethodDecorator & ClassDecorator =>
  SetMetadata(BEARER_COOKIE, { cookie, formats: options.formats } satisfies BearerCookieRule);
