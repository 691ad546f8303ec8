import { Role } from './views';

/**
 * Who is calling: derived by the service itself from the access token it verified (never taken from
 * the envelope as sent).
 */
export interface Principal {
  /** Internal user id (uuid). */
  id: string;
  sessionId: string;
  /** Active tenant number, null for operators and before a tenant is picked. */
  tenant: string | null;
  role: Role;
  /** When the session last completed a second step (ISO time), for step-up (AUTH-12). */
  secondFactorAt: string | null;
}

/** Travels with every NATS request: request id for logs and audit, the client, the caller's token. */
export interface CallContext {
  requestId: string;
  ip?: string;
  userAgent?: string;
  language?: 'ja' | 'en';
  /**
   * Set by the receiving service from `accessToken` after verifying it; a principal that arrives in
   * an envelope is dropped unread, so no NATS peer can speak for a user it holds no token of.
   */
  principal?: Principal;
  /** The caller's access token, as the gateway received it; each service verifies it itself. */
  accessToken?: string;
}

export interface RpcEnvelope<T> {
  ctx: CallContext;
  data: T;
}
