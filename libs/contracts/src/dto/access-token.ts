import { Role } from './views';

/**
 * Claims of the access token (JWT, HS256, signed by auth with JWT_SECRET, verified by the gateway).
 * Short-lived (AUTH-15); revocation of its session is checked on every request through Redis.
 */
export interface AccessTokenClaims {
  /** Internal user id (uuid). */
  sub: string;
  /** Session id. */
  sid: string;
  /** Active tenant number, null for operators and before a tenant is picked (AUTH-18). */
  tenant: string | null;
  role: Role;
  /** When this session last completed a second step, seconds since the epoch (AUTH-12). */
  sfa: number | null;
}

/**
 * Redis key marking a session as revoked; set by auth when a session ends and read by the gateway on
 * every request, so a revoked session's access token is refused at once (AUTH-15: within 2 seconds).
 */
export function revokedSessionKey(redisPrefix: string, sessionId: string): string {
  return `${redisPrefix}:session:revoked:${sessionId}`;
}
