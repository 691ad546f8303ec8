import { Reflector } from '@nestjs/core';
import { ErrorCode } from '@app/contracts';
import { httpContext, principal, refusal } from './guard-test.util';
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

describe(RolesGuard.name, () => {
  const sut = new RolesGuard(new Reflector());

  it('lets a route without @Roles through', async () => {
    expect(sut.canActivate(httpContext(Open, 'anything', {}))).toBe(true);
  });

  it('lets the named role through and refuses others with forbidden', async () => {
    expect(
      sut.canActivate(
        httpContext(OperatorOnly, 'list', { user: principal({ role: 'operator', tenant: null }) }),
      ),
    ).toBe(true);
    expect(
      await refusal(() =>
        sut.canActivate(httpContext(OperatorOnly, 'list', { user: principal({ role: 'admin' }) })),
      ),
    ).toBe(ErrorCode.Forbidden);
    expect(
      await refusal(() =>
        sut.canActivate(httpContext(OperatorOnly, 'list', { user: principal({ role: 'user' }) })),
      ),
    ).toBe(ErrorCode.Forbidden);
  });

  it('lets the method decorator override the class one', async () => {
    expect(sut.canActivate(httpContext(OperatorOnly, 'shared', { user: principal({ role: 'admin' }) }))).toBe(
      true,
    );
  });

  it('refuses with unauthorized when no principal was established', async () => {
    expect(await refusal(() => sut.canActivate(httpContext(OperatorOnly, 'list', {})))).toBe(
      ErrorCode.Unauthorized,
    );
  });
});
