import { SetMetadata } from '@nestjs/common';

export const IS_PUBLIC = 'mamori:public';

/** A route reachable without an access token. Every other route requires one (secure by default). */
export const Public = (): MethodDecorator & ClassDecorator => SetMetadata(IS_PUBLIC, true);
