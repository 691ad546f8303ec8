import { Reflector } from '@nestjs/core';
import { DomainError, ErrorCode } from '@app/contracts';
import { httpContext, principal } from './guard-test.util';
import { RequireTenant } from './require-tenant.decorator';
import { TenantGuard } from './tenant.guard';

@RequireTenant()
class TenantScoped {
  list(): void {}
}

class NotScoped {
  list(): void {}
}

function refusal(fn: () => unknown): ErrorCode | undefined {
  try {
    fn();
    return undefined;
  } catch (error) {
    return error instanceof DomainError ? error.code : undefined;
  }
}

describe(TenantGuard.name, () => {
  const sut = new TenantGuard(new Reflector());

  it('lets a route that needs no tenant through, whoever calls', () => {
    expect(sut.canActivate(httpContext(NotScoped, 'list', { user: principal({ tenant: null }) }))).toBe(true);
  });

  it('lets a principal with an active tenant through', () => {
    expect(sut.canActivate(httpContext(TenantScoped, 'list', { user: principal() }))).toBe(true);
  });

  it('asks a user without an active tenant to pick one (409 tenant_selection_required)', () => {
    expect(
      refusal(() =>
        sut.canActivate(httpContext(TenantScoped, 'list', { user: principal({ tenant: null }) })),
      ),
    ).toBe(ErrorCode.TenantSelectionRequired);
  });

  it('refuses operators outright: they act on no tenant', () => {
    expect(
      refusal(() =>
        sut.canActivate(
          httpContext(TenantScoped, 'list', { user: principal({ role: 'operator', tenant: null }) }),
        ),
      ),
    ).toBe(ErrorCode.Forbidden);
  });

  it('refuses with unauthorized when no principal was established', () => {
    expect(refusal(() => sut.canActivate(httpContext(TenantScoped, 'list', {})))).toBe(
      ErrorCode.Unauthorized,
    );
  });
});
