import { Reflector } from '@nestjs/core';
import { DomainError, ErrorCode } from '@app/contracts';
import { httpContext, principal, refusal } from './guard-test.util';
import { JwtAuthGuard } from './jwt-auth.guard';
import { Public } from './public.decorator';

class Mixed {
  @Public()
  open(): void {}
  closed(): void {}
}

@Public()
class AllOpen {
  anything(): void {}
}

describe(JwtAuthGuard.name, () => {
  const sut = new JwtAuthGuard(new Reflector());

  it('lets @Public() routes through without looking for a token', async () => {
    expect(sut.canActivate(httpContext(Mixed, 'open', { headers: {} }))).toBe(true);
    expect(sut.canActivate(httpContext(AllOpen, 'anything', { headers: {} }))).toBe(true);
  });

  it('puts the verified principal on the request and into the call context', async () => {
    const req: Record<string, any> = { callContext: { requestId: 'r1' } };
    const who = principal();
    expect(sut.handleRequest(null, who, undefined, httpContext(Mixed, 'closed', req))).toBe(who);
    expect(req.callContext.principal).toBe(who);
  });

  it('answers unauthorized for a missing, malformed, expired or badly signed token', async () => {
    const ctx = httpContext(Mixed, 'closed', {});
    expect(await refusal(() => sut.handleRequest(null, false, new Error('No auth token'), ctx))).toBe(
      ErrorCode.Unauthorized,
    );
    expect(await refusal(() => sut.handleRequest(null, false, { name: 'TokenExpiredError' }, ctx))).toBe(
      ErrorCode.Unauthorized,
    );
    expect(
      await refusal(() => sut.handleRequest(new Error('invalid signature'), undefined, undefined, ctx)),
    ).toBe(ErrorCode.Unauthorized);
  });

  it("passes the strategy's own domain errors on (session_ended, service_unavailable)", async () => {
    const ctx = httpContext(Mixed, 'closed', {});
    expect(
      await refusal(() => sut.handleRequest(new DomainError(ErrorCode.SessionEnded), false, undefined, ctx)),
    ).toBe(ErrorCode.SessionEnded);
    expect(
      await refusal(() =>
        sut.handleRequest(new DomainError(ErrorCode.ServiceUnavailable), false, undefined, ctx),
      ),
    ).toBe(ErrorCode.ServiceUnavailable);
  });
});
