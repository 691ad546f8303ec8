import { Role } from './views';

/** Who is calling, as the gateway learnt it from a verified access token. */
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

/** Travels with every NATS request: request id for logs and audit, the client, the principal. */
export interface CallContext {
  requestId: string;
  ip?: string;
  userAgent?: string;
  language?: 'ja' | 'en';
  principal?: Principal;
}

export interface RpcEnvelope<T> {
  ctx: CallContext;
  data: T;
}
