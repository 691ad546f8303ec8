import { Reflector } from '@nestjs/core';
import { DomainError, ErrorCode, Principal } from '@app/contracts';
import { AccessTokenAuthenticator } from './access-token.authenticator';
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

function guardWith(outcome: Principal | DomainError): JwtAuthGuard {
  const authenticator = {
    authenticate: async () => {
      if (outcome instanceof DomainError) {
        throw outcome;
      }
      return outcome;
    },
  };
  return new JwtAuthGuard(new Reflector(), authenticator as unknown as AccessTokenAuthenticator);
}

describe(JwtAuthGuard.name, () => {
  it('lets @Public() routes through without looking for a token', async () => {
    const sut = guardWith(new DomainError(ErrorCode.Unauthorized));
    expect(await sut.canActivate(httpContext(Mixed, 'open', { headers: {} }))).toBe(true);
    expect(await sut.canActivate(httpContext(AllOpen, 'anything', { headers: {} }))).toBe(true);
  });

  it('puts the verified principal on the request and the token, not the principal, into the call context', async () => {
    const who = principal();
    const req: Record<string, any> = {
      headers: { authorization: 'Bearer a.b.c' },
      callContext: { requestId: 'r1' },
    };
    expect(await guardWith(who).canActivate(httpContext(Mixed, 'closed', req))).toBe(true);
    expect(req.user).toBe(who);
    expect(req.callContext).toEqual({ requestId: 'r1', accessToken: 'a.b.c' });
  });

  it.each([
    {},
    { authorization: 'a.b.c' },
    { authorization: 'Basic dXNlcjpwdw==' },
    { authorization: 'Bearer ' },
  ])('answers unauthorized without a bearer token: %p', async (headers) => {
    const ctx = httpContext(Mixed, 'closed', { headers });
    expect(await refusal(() => guardWith(principal()).canActivate(ctx))).toBe(ErrorCode.Unauthorized);
  });

  it("passes the authenticator's refusals on (unauthorized, session_ended, service_unavailable)", async () => {
    for (const code of [ErrorCode.Unauthorized, ErrorCode.SessionEnded, ErrorCode.ServiceUnavailable]) {
      const ctx = httpContext(Mixed, 'closed', { headers: { authorization: 'Bearer a.b.c' } });
      expect(await refusal(() => guardWith(new DomainError(code)).canActivate(ctx))).toBe(code);
    }
  });
});
