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

/**
 * A page a browser opens by plain navigation (the queue dashboard), which cannot send an
 * `Authorization` header: its GET and HEAD requests may carry the access token in the httpOnly
 * cookie `cookie` instead. Only reads: a request that changes something still needs the header,
 * so a cookie the browser adds by itself can never be made to act.
 */
export const BearerFromCookie = (cookie: string): MethodDecorator & ClassDecorator =>
  SetMetadata(BEARER_COOKIE, cookie);
