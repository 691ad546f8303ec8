import { ExecutionContext, Injectable } from '@nestjs/common';
import { ThrottlerGuard } from '@nestjs/throttler';
import type { ThrottlerLimitDetail, ThrottlerRequest } from '@nestjs/throttler';
import { DomainError, ErrorCode, MAX_USER_ID_INPUT, normalizeUserId } from '@app/contracts';
import { ACCOUNT_RATE_LIMIT } from './account-rate-limit.decorator';

/** Names of the two limits: every route per client address, some routes per account too. */
export const IP_THROTTLER = 'ip';
export const ACCOUNT_THROTTLER = 'account';

/**
 * The account a login or reset request names, as the account limit's tracker. Case and surrounding
 * spaces do not make a new account, so they do not make a new bucket either: the key is auth's own.
 */
export function accountKey(body: unknown): string | undefined {
  if (typeof body !== 'object' || body === null) {
    return undefined;
  }
  const userId = (body as { userId?: unknown }).userId;
  if (typeof userId !== 'string' || userId.length === 0 || userId.length > MAX_USER_ID_INPUT) {
    return undefined;
  }
  return `account:${normalizeUserId(userId)}`;
}

/**
 * @nestjs/throttler's guard with the gateway's rules: the account limit applies only to routes marked
 * @AccountRateLimit() whose body names an account (a malformed one is refused by validation anyway),
 * and going over a limit is the domain error `rate_limited` with `details.retryAfter`.
 */
@Injectable()
export class GatewayThrottlerGuard extends ThrottlerGuard {
  protected override async handleRequest(props: ThrottlerRequest): Promise<boolean> {
    if (props.throttler.name === ACCOUNT_THROTTLER) {
      const marked = this.reflector.get<boolean | undefined>(ACCOUNT_RATE_LIMIT, props.context.getHandler());
      if (!marked || accountKey(this.getRequestResponse(props.context).req.body) === undefined) {
        return true;
      }
    }
    return super.handleRequest(props);
  }

  protected override throwThrottlingException(
    _context: ExecutionContext,
    detail: ThrottlerLimitDetail,
  ): Promise<void> {
    return Promise.reject(
      new DomainError(ErrorCode.RateLimited, { retryAfter: Math.max(1, detail.timeToBlockExpire) }),
    );
  }
}
