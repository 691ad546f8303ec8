import { Reflector } from '@nestjs/core';
import { DomainError, ErrorCode } from '@app/contracts';
import { httpContext, principal } from './guard-test.util';
import { Roles } from './roles.decorator';
import { RolesGuard } from './roles.guard';

@Roles('operator')
class OperatorOnly {
  list(): void {}
  @Roles('admin', 'operator')
  shared(): void {}
}

class Open {
  anything(): void {}
}

function refusal(fn: () => unknown): ErrorCode | undefined {
  try {
    fn();
    return undefined;
  } catch (error) {
    return error instanceof DomainError ? error.code : undefined;
  }
}

describe(RolesGuard.name, () => {
  const sut = new RolesGuard(new Reflector());

  it('lets a route without @Roles through', () => {
    expect(sut.canActivate(httpContext(Open, 'anything', {}))).toBe(true);
  });

  it('lets the named role through and refuses others with forbidden', () => {
    expect(
      sut.canActivate(
        httpContext(OperatorOnly, 'list', { user: principal({ role: 'operator', tenant: null }) }),
      ),
    ).toBe(true);
    expect(
      refusal(() =>
        sut.canActivate(httpContext(OperatorOnly, 'list', { user: principal({ role: 'admin' }) })),
      ),
    ).toBe(ErrorCode.Forbidden);
    expect(
      refusal(() =>
        sut.canActivate(httpContext(OperatorOnly, 'list', { user: principal({ role: 'user' }) })),
      ),
    ).toBe(ErrorCode.Forbidden);
  });

  it('lets the method decorator override the class one', () => {
    expect(sut.canActivate(httpContext(OperatorOnly, 'shared', { user: principal({ role: 'admin' }) }))).toBe(
      true,
    );
  });

  it('refuses with unauthorized when no principal was established', () => {
    expect(refusal(() => sut.canActivate(httpContext(OperatorOnly, 'list', {})))).toBe(
      ErrorCode.Unauthorized,
    );
  });
});
