import { AccessTokenClaims, Principal, Role } from '@app/contracts';

const ROLES: readonly Role[] = ['operator', 'admin', 'user'];
const MAX_ID = 128;

function isShortString(value: unknown): value is string {
  return typeof value === 'string' && value.length > 0 && value.length <= MAX_ID;
}

/** Checks the shape of a verified token's claims: a well-signed token of another shape is not ours. */
export function isAccessTokenClaims(value: unknown): value is AccessTokenClaims {
  if (typeof value !== 'object' || value === null) {
    return false;
  }
  const c = value as Record<string, unknown>;
  return (
    isShortString(c.sub) &&
    isShortString(c.sid) &&
    (c.tenant === null || isShortString(c.tenant)) &&
    ROLES.includes(c.role as Role) &&
    (c.sfa === null || c.sfa === undefined || (typeof c.sfa === 'number' && Number.isFinite(c.sfa)))
  );
}

export function principalFromClaims(claims: AccessTokenClaims): Principal {
  return {
    id: claims.sub,
    sessionId: claims.sid,
    tenant: claims.tenant,
    role: claims.role,
    secondFactorAt: typeof claims.sfa === 'number' ? new Date(claims.sfa * 1000).toISOString() : null,
  };
}
