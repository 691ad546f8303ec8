import { SetMetadata } from '@nestjs/common';

export const ACCOUNT_RATE_LIMIT = 'mamori:account-rate-limit';

/**
 * Counts requests per account (the `userId` of the body) as well as per IP, so one ID cannot be
 * hammered from many addresses (GW-1). Lockout (AUTH-3) still decides; this only sheds floods.
 */
export const AccountRateLimit = (): MethodDecorator => SetMetadata(ACCOUNT_RATE_LIMIT, true);
