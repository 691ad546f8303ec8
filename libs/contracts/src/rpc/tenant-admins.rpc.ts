import { TenantNumberParam } from '../dto/ops.dto';
import { UserView } from '../dto/views';
import { AreaRequestClasses } from './rpc-request-class';

/*
 * Subjects of this area, merged into RpcMap (one file per area, so areas never edit each other's
 * lines).
 */
declare module './rpc-map' {
  interface RpcMap {
    /** Operator: a tenant's representative admins in the order they became admins; an unknown tenant is `404` (CASE-1). */
    'auth.ops.tenant.admins': [TenantNumberParam, UserView[]];
  }
}

/** class-validator classes of this area's requests (see RPC_REQUEST_CLASSES). */
export const TENANT_ADMINS_RPC_CLASSES = {
  'auth.ops.tenant.admins': TenantNumberParam,
} satisfies AreaRequestClasses;
