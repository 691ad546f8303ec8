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
