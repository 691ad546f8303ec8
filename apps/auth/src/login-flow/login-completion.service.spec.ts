import { EntityManager } from 'typeorm';
import { Clock } from '@app/config';
import { AuthenticatedResult, CallContext } from '@app/contracts';
import { OutboxWriter } from '@app/database';
import { FakeClock, MockOf, newTestService } from '@app/testing';
import { LoginFlow } from '../flows/login-flow.entity';
import { LoginFlowService } from '../flows/login-flow.service';
import { SessionsService } from '../sessions/sessions.service';
import { TrustedBrowsersService } from '../trusted-browsers/trusted-browsers.service';
import { AuditFacts } from '../users/audit-facts';
import { LoginAccount } from '../users/login-account';
import { User } from '../users/user.entity';
import { InitialPassword } from './initial-password.entity';
import { LoginCompletion } from './login-completion.service';
import { PasswordStepRepository } from './password-step.repository';

describe(LoginCompletion.name, () => {
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
  let outbox: { record: jest.Mock };

  beforeEach(async () => {
    outbox = { record: jest.fn() };
    const t = await newTestService(LoginCompletion, [
      { provide: Clock, useValue: clock },
      // The real helper over a mocked writer: the stored fact's fields are what is checked.
      { provide: AuditFacts, useValue: new AuditFacts(outbox as unknown as OutboxWriter) },
    ]);
    sut = t.sut;
    step = t.mock(PasswordStepRepository);
    flows = t.mock(LoginFlowService);
    sessions = t.mock(SessionsService);
    sessions.start.mockImplementation(async () => ({ status: 'authenticated' }) as AuthenticatedResult);
    trustedBrowsers = t.mock(TrustedBrowsersService);
  });

  it('completes the flow, records the success with the methods and starts a session', async () => {
    const flow = { id: 'f1' } as LoginFlow;
    const reset = { sql: 'UPDATE …', params: [] };
    const result = await sut.finish(manager, alice, {
      flow,
      secondFactorAt: clock.now(),
      methods: ['password', 'sms'],
      ctx,
      alongside: [reset],
    });
    expect(flows.complete).toHaveBeenCalledWith(manager, flow, clock.now());
    expect(outbox.record).toHaveBeenCalledWith(
      manager,
      {
        type: 'auth.login.succeeded',
        actor: { userId: 'u1' },
        target: { type: 'login_flow', id: 'f1' },
        outcome: 'success',
        reasons: ['password', 'sms'],
        tenants: ['N1'],
      },
      [reset],
    );
    expect(sessions.start).toHaveBeenCalledWith(manager, alice, {
      secondFactorAt: clock.now(),
      ip: '192.0.2.1',
      userAgent: 'Firefox',
    });
    expect(result).toEqual({ status: 'authenticated' });
    expect(trustedBrowsers.issue).not.toHaveBeenCalled();
  });

  it('names no flow when none was needed', async () => {
    await sut.finish(manager, alice, { secondFactorAt: null, methods: ['password'], ctx });
    expect(flows.complete).not.toHaveBeenCalled();
    expect(outbox.record.mock.calls[0][1]).not.toHaveProperty('target');
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
