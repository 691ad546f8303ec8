import { AuditEvent, AuditEventType } from '@app/contracts';
import { historyRowOf } from './history-row.util';

const USER = '6f1c2b1e-4a57-4c3e-9a0e-0c2f7f5b8d11';

function event(type: string, overrides: Partial<AuditEvent> = {}): AuditEvent {
  return {
    id: 'b4a0f6f2-7a39-4d9e-9e1d-3f0f1c1f9d20',
    type: type as AuditEventType,
    occurredAt: '2025-04-01T00:00:00.000Z',
    actor: { userId: USER, ip: '198.51.100.7', userAgent: 'Firefox/140.0' },
    outcome: 'success',
    reasons: [],
    correlationId: 'req-1',
    tenants: ['N202400003', 'N202400004'],
    ...overrides,
  };
}

/** [type, reasons, outcome, target type] → [event, method, result, method from the request]. */
type Case = [
  string,
  string[],
  AuditEvent['outcome'],
  string | undefined,
  string,
  string | null,
  string,
  boolean,
];

// prettier-ignore
const CASES: Case[] = [
  // The password step.
  ['auth.login.failed', ['wrong_password'], 'failure', undefined, 'login', 'password', 'failure', false],
  ['auth.login.failed', ['no_password'], 'failure', undefined, 'login', 'password', 'failure', false],
  ['auth.login.second_factor_required', ['user_mfa', 'new_device'], 'info', 'login_flow', 'login', 'password', 'info', false],
  ['auth.login.denied_risk', ['impossible_travel'], 'denied', undefined, 'login', 'password', 'denied', false],
  ['auth.login.refused_disabled', ['login_disabled'], 'denied', undefined, 'login', 'password', 'denied', false],
  ['auth.login.refused_locked', ['account_locked'], 'denied', undefined, 'login', 'password', 'denied', false],
  ['auth.login.locked_out', ['password_failures'], 'denied', undefined, 'login', 'password', 'denied', false],
  // A lock met in a second step, or caused by wrong codes, does not name the method.
  ['auth.login.refused_locked', ['account_locked'], 'denied', 'login_flow', 'login', 'other', 'denied', true],
  ['auth.login.locked_out', ['code_failures'], 'denied', undefined, 'login', 'other', 'denied', true],
  // Passkey logins (AUTH-10) name the passkey they checked.
  ['auth.login.failed', ['passkey', 'signature'], 'failure', 'passkey', 'login', 'passkey', 'failure', false],
  ['auth.login.refused_locked', ['account_locked'], 'denied', 'passkey', 'login', 'passkey', 'denied', false],
  ['auth.login.refused_disabled', ['login_disabled'], 'denied', 'passkey', 'login', 'passkey', 'denied', false],
  ['auth.login.initial_password_failed', ['wrong_initial_password'], 'failure', 'login_flow', 'login', 'initial_password', 'failure', false],
  // Success names the step that finished it.
  ['auth.login.succeeded', ['password'], 'success', undefined, 'login', 'password', 'success', false],
  ['auth.login.succeeded', ['password', 'sms'], 'success', 'login_flow', 'login', 'sms', 'success', false],
  ['auth.login.succeeded', ['password', 'trusted_browser'], 'success', undefined, 'login', 'trusted_browser', 'success', false],
  ['auth.login.succeeded', ['passkey'], 'success', undefined, 'login', 'passkey', 'success', false],
  ['auth.login.succeeded', ['password', 'totp', 'initial_password'], 'success', 'login_flow', 'login', 'initial_password', 'success', false],
  // Second steps.
  ['auth.second_factor.code_sent', ['sms'], 'info', 'login_flow', 'second_factor', 'sms', 'info', false],
  ['auth.second_factor.succeeded', ['email'], 'success', 'login_flow', 'second_factor', 'email', 'success', false],
  ['auth.second_factor.failed', ['totp', 'attempts_exhausted'], 'failure', 'login_flow', 'second_factor', 'totp', 'failure', false],
  ['auth.push.requested', ['login'], 'info', 'login_flow', 'second_factor', 'push', 'info', false],
  ['auth.push.approved', ['number_matched'], 'success', 'login_flow', 'second_factor', 'push', 'success', false],
  ['auth.push.denied', ['number_mismatch'], 'denied', 'login_flow', 'second_factor', 'push', 'denied', false],
  // Sessions: the start takes its method from the login of the same request.
  ['auth.session.started', ['second_factor'], 'success', 'session', 'session_start', 'other', 'success', true],
  ['auth.session.started', ['password'], 'success', 'session', 'session_start', 'password', 'success', true],
  ['auth.session.ended', ['logout'], 'info', 'session', 'logout', null, 'info', false],
  ['auth.session.ended', ['logout_all'], 'info', 'session', 'logout', null, 'info', false],
  ['auth.session.ended', ['idle_timeout'], 'info', 'session', 'session_end', null, 'info', false],
  ['auth.session.ended', ['refresh_reuse'], 'info', 'session', 'session_end', null, 'info', false],
  // Step-up (AUTH-12).
  ['auth.step_up.required', ['password.change'], 'info', 'login_flow', 'step_up', null, 'info', false],
  ['auth.step_up.succeeded', ['sms'], 'success', 'login_flow', 'step_up', 'sms', 'success', false],
  // Codes this version does not know: `other`, never a failure.
  ['auth.second_factor.succeeded', ['hardware_key'], 'success', 'login_flow', 'second_factor', 'other', 'success', true],
  ['auth.login.passkey_failed', ['assertion_invalid'], 'failure', undefined, 'login', 'other', 'failure', true],
  ['auth.step_up.expired', [], 'info', 'login_flow', 'step_up', 'other', 'info', true],
];

describe('historyRowOf', () => {
  it.each<Case>(CASES)(
    '%s %j (%s, target %s) → %s / %s / %s',
    (type, reasons, outcome, targetType, expectedEvent, method, result, fromRequest) => {
      const row = historyRowOf(
        event(type, { reasons, outcome, ...(targetType ? { target: { type: targetType, id: 't-1' } } : {}) }),
      );
      expect(row).toMatchObject({
        event: expectedEvent,
        method,
        result,
        methodFromRequest: fromRequest,
        reasons,
      });
    },
  );

  it.each([
    'auth.login.risk_assessed',
    'auth.session.refreshed',
    'auth.session.refresh_reused',
    'auth.password.changed',
    'auth.password_reset.completed',
    'auth.push.approver_registered',
    'auth.push.approver_removed',
    'auth.totp.enabled',
    'auth.trusted_browser.added',
    'auth.tenant.created',
    'notification.message.sent',
  ])('%s is not login history', (type) => {
    expect(historyRowOf(event(type))).toBeNull();
  });

  it('copies who, when, where, the tenants and the target from the event', () => {
    const row = historyRowOf(
      event('auth.session.started', { target: { type: 'session', id: 's-1' }, reasons: ['password'] }),
    );
    expect(row).toEqual({
      id: 'b4a0f6f2-7a39-4d9e-9e1d-3f0f1c1f9d20',
      occurredAt: new Date('2025-04-01T00:00:00.000Z'),
      userId: USER,
      tenants: ['N202400003', 'N202400004'],
      event: 'session_start',
      method: 'password',
      methodFromRequest: true,
      result: 'success',
      reasons: ['password'],
      ip: '198.51.100.7',
      userAgent: 'Firefox/140.0',
      targetType: 'session',
      targetId: 's-1',
      correlationId: 'req-1',
    });
  });

  it('keeps an attempt on an unknown ID without a user, tenants or client it was not given', () => {
    const row = historyRowOf(
      event('auth.login.failed', {
        actor: {},
        reasons: ['unknown_user'],
        tenants: undefined,
        outcome: 'failure',
      }),
    );
    expect(row).toMatchObject({
      userId: null,
      tenants: [],
      ip: null,
      userAgent: null,
      targetType: null,
      targetId: null,
      method: 'password',
    });
  });

  it('cuts an overlong user agent and address (a NATS peer is not bound by the gateway)', () => {
    const row = historyRowOf(
      event('auth.login.failed', {
        actor: { userId: USER, ip: '1'.repeat(100), userAgent: 'x'.repeat(2000) },
      }),
    );
    expect(row?.userAgent).toHaveLength(512);
    expect(row?.ip).toHaveLength(64);
  });
});
