import { AuditEvent, AuditEventType, LoginHistoryEvent, LoginHistoryMethod } from '@app/contracts';

/** A history row as one audit event states it, before the projection writes it. */
export interface HistoryRowDraft {
  id: string;
  occurredAt: Date;
  userId: string | null;
  tenants: string[];
  event: LoginHistoryEvent;
  method: LoginHistoryMethod | null;
  /**
   * The event does not say how the user authenticated (a session start, a lock after wrong codes):
   * the projection takes the method of the latest earlier row of the same request and user, and
   * keeps `method` when there is none.
   */
  methodFromRequest: boolean;
  result: AuditEvent['outcome'];
  reasons: string[];
  ip: string | null;
  userAgent: string | null;
  targetType: string | null;
  targetId: string | null;
  correlationId: string;
}

/** Longest client strings kept: the gateway cuts user agents to 512; a NATS peer might not. */
const MAX_USER_AGENT = 512;
const MAX_IP = 64;

/** Reason codes that are themselves a way of authenticating (`auth.login.succeeded` lists them). */
const METHOD_REASONS: ReadonlySet<string> = new Set<LoginHistoryMethod>([
  'password',
  'sms',
  'email',
  'totp',
  'push',
  'passkey',
  'trusted_browser',
  'initial_password',
]);

/** Reason codes that tell the method without naming it. */
const REASON_METHODS: Readonly<Record<string, LoginHistoryMethod>> = {
  wrong_password: 'password',
  no_password: 'password',
  unknown_user: 'password',
  password_failures: 'password',
  wrong_initial_password: 'initial_password',
};

interface Kind {
  event: LoginHistoryEvent;
  /** `none`: no method applies (a logout); `derive`: from the reasons, the target, then `fallback`. */
  method: 'derive' | 'none';
  fallback?: LoginHistoryMethod;
  /**
   * The fallback holds only for the event without a target: the password step writes it without one,
   * other ways in name what they checked (a passkey, a login flow's second step).
   */
  fallbackUntargeted?: boolean;
}

const PASSWORD_STEP: Kind = {
  event: 'login',
  method: 'derive',
  fallback: 'password',
  fallbackUntargeted: true,
};

/** The audit events that are login history, and where their method comes from when no reason names it. */
const KINDS: Partial<Record<AuditEventType, Kind>> = {
  'auth.login.succeeded': { event: 'login', method: 'derive' },
  'auth.login.failed': PASSWORD_STEP,
  'auth.login.locked_out': { event: 'login', method: 'derive' },
  'auth.login.refused_locked': PASSWORD_STEP,
  'auth.login.refused_disabled': PASSWORD_STEP,
  'auth.login.denied_risk': PASSWORD_STEP,
  // Written by the password step with the flow it opens.
  'auth.login.second_factor_required': { event: 'login', method: 'derive', fallback: 'password' },
  'auth.login.initial_password_failed': { event: 'login', method: 'derive', fallback: 'initial_password' },
  'auth.second_factor.code_sent': { event: 'second_factor', method: 'derive' },
  'auth.second_factor.succeeded': { event: 'second_factor', method: 'derive' },
  'auth.second_factor.failed': { event: 'second_factor', method: 'derive' },
  'auth.session.started': { event: 'session_start', method: 'derive' },
  'auth.session.ended': { event: 'session_end', method: 'none' },
  'auth.step_up.required': { event: 'step_up', method: 'none' },
  'auth.step_up.succeeded': { event: 'step_up', method: 'derive' },
  'auth.push.requested': { event: 'second_factor', method: 'derive', fallback: 'push' },
  'auth.push.approved': { event: 'second_factor', method: 'derive', fallback: 'push' },
  'auth.push.denied': { event: 'second_factor', method: 'derive', fallback: 'push' },
};

/** Targets that are themselves a way of authenticating (a passkey login names the passkey it checked). */
const TARGET_METHODS: Readonly<Record<string, LoginHistoryMethod>> = {
  passkey: 'passkey',
  trusted_browser: 'trusted_browser',
};

/** Facts under these prefixes that this version does not list yet (new login paths) are history too. */
const HISTORY_PREFIXES: [string, Kind][] = [
  ['auth.login.', { event: 'login', method: 'derive' }],
  ['auth.second_factor.', { event: 'second_factor', method: 'derive' }],
  ['auth.step_up.', { event: 'step_up', method: 'derive' }],
];

/** Under a history prefix but not an attempt: the risk check's verdict comes with the attempt's own row. */
const NOT_HISTORY: ReadonlySet<string> = new Set<AuditEventType>(['auth.login.risk_assessed']);

/** Reasons of `auth.session.ended` that the user chose; the rest are timeouts and revocations. */
const LOGOUT_REASONS: ReadonlySet<string> = new Set(['logout', 'logout_all']);

function kindOf(type: string): Kind | null {
  if (NOT_HISTORY.has(type)) {
    return null;
  }
  const listed = KINDS[type as AuditEventType];
  if (listed) {
    return listed;
  }
  return HISTORY_PREFIXES.find(([prefix]) => type.startsWith(prefix))?.[1] ?? null;
}

/** The last method the reasons name (`['password', 'sms']` → sms: the step that finished it). */
function methodOfReasons(reasons: string[]): LoginHistoryMethod | null {
  for (let i = reasons.length - 1; i >= 0; i--) {
    if (METHOD_REASONS.has(reasons[i])) {
      return reasons[i] as LoginHistoryMethod;
    }
  }
  for (const reason of reasons) {
    const method = REASON_METHODS[reason];
    if (method) {
      return method;
    }
  }
  return null;
}

function fallbackOf(kind: Kind, event: AuditEvent): LoginHistoryMethod | null {
  const target = event.target?.type;
  if (target !== undefined && TARGET_METHODS[target]) {
    return TARGET_METHODS[target];
  }
  if (kind.fallbackUntargeted && target !== undefined) {
    // e.g. a lock met while checking a login flow's code: the event does not say which method.
    return null;
  }
  return kind.fallback ?? null;
}

function cut(value: string | undefined, max: number): string | null {
  return value ? value.slice(0, max) : null;
}

/**
 * The login history row an audit event makes, or null when the event is not login history (AUTH-22).
 * Unknown reason codes never fail a login: the method is then `other` (or the request's earlier one).
 */
export function historyRowOf(event: AuditEvent): HistoryRowDraft | null {
  const kind = kindOf(event.type);
  if (!kind) {
    return null;
  }
  const reasons = event.reasons ?? [];
  let historyEvent = kind.event;
  let method: LoginHistoryMethod | null = null;
  let methodFromRequest = false;
  if (event.type === 'auth.session.ended' && reasons.some((r) => LOGOUT_REASONS.has(r))) {
    historyEvent = 'logout';
  }
  if (kind.method === 'derive') {
    method = methodOfReasons(reasons) ?? fallbackOf(kind, event) ?? 'other';
    // A session start names only "password" or "second_factor": the login of the same request says more.
    methodFromRequest = event.type === 'auth.session.started' || method === 'other';
  }
  return {
    id: event.id,
    occurredAt: new Date(event.occurredAt),
    userId: event.actor.userId ?? null,
    tenants: event.tenants ?? [],
    event: historyEvent,
    method,
    methodFromRequest,
    result: event.outcome,
    reasons,
    ip: cut(event.actor.ip, MAX_IP),
    userAgent: cut(event.actor.userAgent, MAX_USER_AGENT),
    targetType: event.target?.type ?? null,
    targetId: event.target?.id ?? null,
    correlationId: event.correlationId,
  };
}
