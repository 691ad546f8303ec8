import { Reflector } from '@nestjs/core';
import { ErrorCode } from '@app/contracts';
import { httpContext, principal, refusal } from './guard-test.util';
import { RequireTenant } from './require-tenant.decorator';
import { TenantGuard } from './tenant.guard';

@RequireTenant()
class TenantScoped {
  list(): void {}
}

class NotScoped {
  list(): void {}
}

describe(TenantGuard.name, () => {
  const sut = new TenantGuard(new Reflector());

  it('lets a route that needs no tenant through, whoever calls', async () => {
    expect(sut.canActivate(httpContext(NotScoped, 'list', { user: principal({ tenant: null }) }))).toBe(true);
  });

  it('lets a principal with an active tenant through', async () => {
    expect(sut.canActivate(httpContext(TenantScoped, 'list', { user: principal() }))).toBe(true);
  });

  it('asks a user without an active tenant to pick one (409 tenant_selection_required)', async () => {
    expect(
      await refusal(() =>
        sut.canActivate(httpContext(TenantScoped, 'list', { user: principal({ tenant: null }) })),
      ),
    ).toBe(ErrorCode.TenantSelectionRequired);
  });

  it('refuses operators outright: they act on no tenant', async () => {
    expect(
      await refusal(() =>
        sut.canActivate(
          httpContext(TenantScoped, 'list', { user: principal({ role: 'operator', tenant: null }) }),
        ),
      ),
    ).toBe(ErrorCode.Forbidden);
  });

  it('refuses with unauthorized when no principal was established', async () => {
    expect(await refusal(() => sut.canActivate(httpContext(TenantScoped, 'list', {})))).toBe(
      ErrorCode.Unauthorized,
    );
  });
});
