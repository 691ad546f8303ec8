import { Module } from '@nestjs/common';
import { Clock, SystemClock } from '@app/config';
import { RateLimitGuard } from './rate-limit.guard';
import { SlidingWindowLimiter } from './sliding-window.limiter';

/**
 * Rate limits shared by every gateway replica through Redis (GW-1), in classes (see RateLimit): the
 * guard is registered as a global guard by GatewayModule, after the access-token guard.
 */
@Module({
  providers: [{ provide: Clock, useClass: SystemClock }, SlidingWindowLimiter, RateLimitGuard],
  exports: [SlidingWindowLimiter, RateLimitGuard],
})
export class RateLimitModule {}
