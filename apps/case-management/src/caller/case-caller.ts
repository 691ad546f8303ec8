import { DomainError, ErrorCode, Principal } from '@app/contracts';

declare const TENANT_SCOPE: unique symbol;

/**
 * The one tenant a customer's query may touch. Only `customerOf` makes one, from the verified
 * principal's active tenant, so a repository method that takes a TenantScope cannot be called with
 * a tenant that came from a request body or a path.
 */
export type TenantScope = { readonly kind: 'tenant'; readonly tenant: string } & {
  readonly [TENANT_SCOPE]: true;
};

/** Operators work the cases of every tenant (CASE-8 `GET /ops/cases`). */
export type AllTenants = { readonly kind: 'all' };

export type CaseScope = TenantScope | AllTenants;

export interface CustomerCaller {
  kind: 'customer';
  userId: string;
  scope: TenantScope;
  admin: boolean;
}

export interface OperatorCaller {
  kind: 'operator';
  userId: string;
  scope: AllTenants;
}

export type CaseCaller = CustomerCaller | OperatorCaller;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * A customer (user or tenant admin) acting on the active tenant of the principal in the envelope,
 * which the gateway took from a verified access token. Operators have no tenant and are refused.
 */
export function customerOf(principal: Principal | undefined): CustomerCaller {
  if (!principal || !UUID.test(principal.id)) {
    throw new DomainError(ErrorCode.Unauthorized);
  }
  if (principal.role === 'operator') {
    throw new DomainError(ErrorCode.Forbidden);
  }
  if (!principal.tenant) {
    throw new DomainError(ErrorCode.TenantSelectionRequired);
  }
  return {
    kind: 'customer',
    userId: principal.id,
    scope: { kind: 'tenant', tenant: principal.tenant } as TenantScope,
    admin: principal.role === 'admin',
  };
}

export function operatorOf(principal: Principal | undefined): OperatorCaller {
  if (!principal || !UUID.test(principal.id)) {
    throw new DomainError(ErrorCode.Unauthorized);
  }
  if (principal.role !== 'operator') {
    throw new DomainError(ErrorCode.Forbidden);
  }
  return { kind: 'operator', userId: principal.id, scope: { kind: 'all' } };
}
