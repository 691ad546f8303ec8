import {
  SecurityPolicyView,
  TrustedBrowserIdParam,
  TrustedBrowserView,
  UpdateSecurityPolicyDto,
} from '../dto/trusted-browser.dto';
import { AreaRequestClasses, EmptyRequest } from './rpc-request-class';

type Empty = Record<string, never>;

/*
 * Subjects of this area, merged into RpcMap (one file per area, so areas never edit each other's
 * lines). Add entries as `'auth.x.y': [Request, Response];`.
 */
declare module './rpc-map' {
  interface RpcMap {
    /** The caller's live trusted browsers, newest use first (AUTH-9). */
    'auth.trusted_browser.list': [Empty, TrustedBrowserView[]];
    /** Revoke one of the caller's trusted browsers; step-up (AUTH-9, AUTH-12). */
    'auth.trusted_browser.revoke': [TrustedBrowserIdParam, Empty];
    /** Revoke every trusted browser of the caller; step-up (AUTH-9, AUTH-12). */
    'auth.trusted_browser.revoke_all': [Empty, Empty];
    /** Tenant admin: the active tenant's login security policy (AUTH-5, AUTH-9). */
    'auth.admin.security_policy.get': [Empty, SecurityPolicyView];
    /** Tenant admin: change it; step-up (AUTH-12). */
    'auth.admin.security_policy.update': [UpdateSecurityPolicyDto, SecurityPolicyView];
  }
}

/** class-validator classes of this area's requests (see RPC_REQUEST_CLASSES). */
export const TRUSTED_BROWSER_RPC_CLASSES = {
  'auth.trusted_browser.revoke': TrustedBrowserIdParam,
  'auth.admin.security_policy.update': UpdateSecurityPolicyDto,
  'auth.trusted_browser.list': EmptyRequest,
  'auth.trusted_browser.revoke_all': EmptyRequest,
  'auth.admin.security_policy.get': EmptyRequest,
} satisfies AreaRequestClasses;
