import { EntityManager } from 'typeorm';
import { Clock } from '@app/config';
import { AuthenticatedResult, CallContext } from '@app/contracts';
import { FakeClock, MockOf, newTestService } from '@app/testing';
import { LoginFlow } from '../flows/login-flow.entity';
import { LoginFlowService } from '../flows/login-flow.service';
import { SessionsService } from '../sessions/sessions.service';
import { TrustedBrowsersService } from '../trusted-browsers/trusted-browsers.service';
import { AuditFacts, OutcomeWrite } from '../users/audit-facts';
import { auditFactsOverMockedOutbox, MockedOutbox } from '../users/audit-facts-test.util';
import { LoginAccount } from '../users/login-account';
import { User } from '../users/user.entity';
import { InitialPassword } from './initial-password.entity';
import { LoginCompletion } from './login-completion.service';
import { PasswordStepRepository } from './password-step.repository';

describe(LoginCompletion.name, () => {
  const complete = { sql: 'UPDATE auth.login_flow …', params: [] };
  const sessionInsert = { sql: 'INSERT INTO auth.session …', params: [] };
  const clock = new FakeClock(new Date('2026-01-01T00:00:00Z'));
  const manager = {} as EntityManager;
  const ctx = { ip: '192.0.2.1', userAgent: 'Firefox' } as CallContext;
  const alice: LoginAccount = {
    user: { id: 'u1' } as User,
    memberships: [{ tenantNumber: 'N1', tenantName: 'Alpha', role: 'user', mfaAlways: false }],
  };
  let sut: LoginCompletion;
  let step: MockOf<PasswordStepRepository>;
  let flows: MockOf<LoginFlowService>;
  let sessions: MockOf<SessionsService>;
  let trustedBrowsers: MockOf<TrustedBrowsersService>;
  let outbox: MockedOutbox;
  let facts: AuditFacts;

  beforeEach(async () => {
    ({ outbox, facts } = auditFactsOverMockedOutbox());
    const t = await newTestService(LoginCompletion, [
      { provide: Clock, useValue: clock },
      // The real helper over a mocked writer: the stored fact's fields are what is checked.
      { provide: AuditFacts, useValue: facts },
    ]);
    sut = t.sut;
    step = t.mock(PasswordStepRepository);
    flows = t.mock(LoginFlowService);
    sessions = t.mock(SessionsService);
    // The session joins the login's one statement: its insert and fact, as the real one adds them.
    sessions.startWith.mockImplementation((outcome: OutcomeWrite) => {
      outcome.change(sessionInsert);
      return { status: 'authenticated' } as AuthenticatedResult;
    });
    flows.completeStatement.mockReturnValue(complete);
    trustedBrowsers = t.mock(TrustedBrowsersService);
  });

  it('completes the flow, records the success and starts a session in one statement', async () => {
    const flow = { id: 'f1' } as LoginFlow;
    const reset = { sql: 'UPDATE …', params: [] };
    const result = await sut.finish(manager, alice, {
      flow,
      secondFactorAt: clock.now(),
      methods: ['password', 'sms'],
      ctx,
      alongside: [reset],
    });
    expect(flows.completeStatement).toHaveBeenCalledWith(flow, clock.now());
    expect(outbox.recordAll).toHaveBeenCalledTimes(1);
    expect(outbox.recordAll).toHaveBeenCalledWith(
      manager,
      [
        {
          type: 'auth.login.succeeded',
          actor: { userId: 'u1' },
          target: { type: 'login_flow', id: 'f1' },
          outcome: 'success',
          reasons: ['password', 'sms'],
          tenants: ['N1'],
        },
      ],
      [complete, reset, sessionInsert],
    );
    expect(sessions.startWith).toHaveBeenCalledWith(expect.any(OutcomeWrite), alice, {
      secondFactorAt: clock.now(),
      ip: '192.0.2.1',
      userAgent: 'Firefox',
    });
    expect(result).toEqual({ status: 'authenticated' });
    expect(trustedBrowsers.issue).not.toHaveBeenCalled();
  });

  it('adds the end of the login to what the step before it gathered', async () => {
    const consume = { sql: 'UPDATE auth.security_code …', params: [] };
    const outcome = facts.outcome().change(consume);
    outcome.fact(facts.of(alice), { type: 'auth.second_factor.succeeded', outcome: 'success' });
    await sut.finish(manager, alice, {
      flow: { id: 'f1' } as LoginFlow,
      secondFactorAt: clock.now(),
      methods: ['password', 'sms'],
      ctx,
      outcome,
    });
    expect(outbox.recordAll).toHaveBeenCalledTimes(1);
    const [, events, changes] = outbox.recordAll.mock.calls[0];
    expect((events as { type: string }[]).map((e) => e.type)).toEqual([
      'auth.second_factor.succeeded',
      'auth.login.succeeded',
    ]);
    expect(changes).toEqual([consume, complete, sessionInsert]);
  });

  it('names no flow when none was needed', async () => {
    await sut.finish(manager, alice, { secondFactorAt: null, methods: ['password'], ctx });
    expect(flows.completeStatement).not.toHaveBeenCalled();
    expect(outbox.recordAll.mock.calls[0][1][0]).not.toHaveProperty('target');
  });

  it('hands back the device token of a browser trusted at this login (AUTH-9)', async () => {
    trustedBrowsers.issue.mockResolvedValue('device-token');
    const result = await sut.finish(manager, alice, {
      secondFactorAt: clock.now(),
      methods: ['password', 'totp'],
      trustBrowserName: 'Office PC',
      ctx,
    });
    expect(trustedBrowsers.issue).toHaveBeenCalledWith(manager, alice, 'Office PC', ctx);
    expect(result.deviceToken).toBe('device-token');
  });

  it.each([
    ['none was set', null, false],
    ['it is unused', { usedAt: null }, true],
    ['it was used', { usedAt: new Date() }, false],
  ])('answers whether the initial password is owed when %s', async (_name, row, owed) => {
    step.initialPassword.mockResolvedValue(row as InitialPassword | null);
    expect(await sut.owesInitialPassword(manager, 'u1')).toBe(owed);
    expect(step.initialPassword).toHaveBeenCalledWith('u1', manager);
  });
});
