import { EntityManager } from 'typeorm';
import { Clock } from '@app/config';
import {
  AuthenticatedResult,
  CallContext,
  ErrorCode,
  NotificationJob,
  Principal,
  VerifyDto,
} from '@app/contracts';
import { FakeClock, MockOf, newTestService } from '@app/testing';
import { LoginFlow } from '../flows/login-flow.entity';
import { LoginFlowService } from '../flows/login-flow.service';
import { SecondStepMethod } from '../flows/second-step-method';
import { SecondStepMethods } from '../flows/second-step-methods';
import { LockoutService } from '../lockout/lockout.service';
import { SessionsService } from '../sessions/sessions.service';
import { AuditFacts } from '../users/audit-facts';
import { recordedFacts } from '../users/audit-facts.fake';
import { LoginAccount } from '../users/login-account';
import { LoginAccountRepository } from '../users/login-account.repository';
import { User } from '../users/user.entity';
import { UserNotices } from '../users/user-notices';
import { LoginCompletion } from './login-completion.service';
import { PasswordStepRepository } from './password-step.repository';
import { SecondStepService } from './second-step.service';

describe(SecondStepService.name, () => {
  const clock = new FakeClock(new Date('2026-01-01T00:00:00Z'));
  const manager = {} as EntityManager;
  const ctx = {} as CallContext;
  const alice: LoginAccount = {
    user: { id: 'u1', userIdKey: 'alice', loginDisabled: false } as User,
    memberships: [],
  };
  const login = {
    id: 'f1',
    userId: 'u1',
    purpose: 'login',
    stage: 'second_factor',
    sessionId: null,
  } as LoginFlow;
  const dto = { method: 'totp', code: '123456' } as VerifyDto;
  let sut: SecondStepService;
  let flows: MockOf<LoginFlowService>;
  let method: { verify: jest.Mock };
  let accounts: MockOf<LoginAccountRepository>;
  let lockout: MockOf<LockoutService>;
  let sessions: MockOf<SessionsService>;
  let completion: MockOf<LoginCompletion>;
  let notices: MockOf<UserNotices>;
  let auditFacts: MockOf<AuditFacts>;
  let facts: { record: jest.Mock };

  beforeEach(async () => {
    const t = await newTestService(SecondStepService, [{ provide: Clock, useValue: clock }]);
    sut = t.sut;
    const step = t.mock(PasswordStepRepository);
    step.transaction.mockImplementation(async (work) => work(manager));
    // A step-up acts in its session's active tenant, read outside the verify's transaction.
    Object.assign(step, {
      standalone: { query: jest.fn().mockResolvedValue([{ active_tenant: 'N1' }]) },
    });
    flows = t.mock(LoginFlowService);
    flows.live.mockResolvedValue(login);
    flows.lockLive.mockResolvedValue(login);
    method = { verify: jest.fn().mockResolvedValue({ ok: true }) };
    t.mock(SecondStepMethods).get.mockReturnValue(method as unknown as SecondStepMethod);
    accounts = t.mock(LoginAccountRepository);
    accounts.findById.mockResolvedValue(alice);
    lockout = t.mock(LockoutService);
    lockout.holdForCodeCheck.mockResolvedValue(null);
    lockout.recordCodeFailure.mockResolvedValue(false);
    sessions = t.mock(SessionsService);
    completion = t.mock(LoginCompletion);
    completion.owesInitialPassword.mockResolvedValue(false);
    completion.finish.mockResolvedValue({ status: 'authenticated' } as AuthenticatedResult);
    notices = t.mock(UserNotices);
    notices.notice.mockReturnValue({ template: 'account-locked' } as unknown as NotificationJob);
    ({ auditFacts, facts } = recordedFacts(t));
  });

  const recordedTypes = () => facts.record.mock.calls.map(([, fact]) => (fact as { type: string }).type);

  it('answers flow_expired for a flow waiting for the initial password, not a second step', async () => {
    flows.live.mockResolvedValue({ ...login, stage: 'initial_password' } as LoginFlow);
    await expect(sut.verify('f1', dto, ctx)).rejects.toMatchObject({ code: ErrorCode.FlowExpired });
  });

  describe('a step-up', () => {
    const stepUp = { ...login, purpose: 'step_up', sessionId: 's1' } as LoginFlow;
    beforeEach(() => {
      flows.live.mockResolvedValue(stepUp);
      flows.lockLive.mockResolvedValue(stepUp);
    });

    it('needs the access token of its own session', async () => {
      await expect(sut.verify('f1', dto, ctx)).rejects.toMatchObject({ code: ErrorCode.Unauthorized });
      const other = { principal: { id: 'u1', sessionId: 's2' } as Principal } as CallContext;
      await expect(sut.verify('f1', dto, other)).rejects.toMatchObject({ code: ErrorCode.FlowExpired });
      expect(method.verify).not.toHaveBeenCalled();
    });

    it('refreshes its session’s second step', async () => {
      sessions.completeStepUp.mockResolvedValue({ status: 'authenticated' } as AuthenticatedResult);
      const own = { principal: { id: 'u1', sessionId: 's1' } as Principal } as CallContext;
      await sut.verify('f1', dto, own);
      expect(flows.complete).toHaveBeenCalledWith(manager, stepUp, clock.now());
      expect(sessions.completeStepUp).toHaveBeenCalledWith(manager, 's1', alice, clock.now());
      expect(recordedTypes()).toEqual(['auth.second_factor.succeeded', 'auth.step_up.succeeded']);
      // Its facts are its tenant's (AUDIT_EVENT_SCOPES).
      expect(auditFacts.of).toHaveBeenCalledWith(alice, 'N1');
    });
  });

  it('refuses a locked account before the code is looked at (AUTH-6)', async () => {
    lockout.holdForCodeCheck.mockResolvedValue(90);
    await expect(sut.verify('f1', dto, ctx)).rejects.toMatchObject({
      code: ErrorCode.AccountLocked,
      details: { retryAfter: 90 },
    });
    expect(recordedTypes()).toEqual(['auth.login.refused_locked']);
    expect(method.verify).not.toHaveBeenCalled();
  });

  it('refuses an account whose login was disabled since the password', async () => {
    accounts.findById.mockResolvedValue({ ...alice, user: { ...alice.user, loginDisabled: true } as User });
    await expect(sut.verify('f1', dto, ctx)).rejects.toMatchObject({ code: ErrorCode.LoginDisabled });
    expect(method.verify).not.toHaveBeenCalled();
  });

  it('counts a wrong code and tells the attempts left', async () => {
    method.verify.mockResolvedValue({ ok: false, attemptsLeft: 2 });
    await expect(sut.verify('f1', dto, ctx)).rejects.toMatchObject({
      code: ErrorCode.InvalidCode,
      details: { attemptsLeft: 2 },
    });
    expect(lockout.recordCodeFailure).toHaveBeenCalledWith('alice', manager);
    expect(facts.record).toHaveBeenCalledWith(manager, {
      type: 'auth.second_factor.failed',
      target: { type: 'login_flow', id: 'f1' },
      outcome: 'failure',
      reasons: ['totp'],
    });
  });

  it('records the lock and tells the owner when a wrong code locked the account', async () => {
    method.verify.mockResolvedValue({ ok: false, attemptsLeft: 0 });
    lockout.recordCodeFailure.mockResolvedValue(true);
    await expect(sut.verify('f1', dto, ctx)).rejects.toMatchObject({ code: ErrorCode.InvalidCode });
    expect(recordedTypes()).toEqual(['auth.second_factor.failed', 'auth.login.locked_out']);
    expect(facts.record.mock.calls[0][1]).toMatchObject({ reasons: ['totp', 'attempts_exhausted'] });
    expect(notices.notice).toHaveBeenCalledWith(alice, 'account-locked', {
      until: new Date(clock.now().getTime() + 20 * 60_000).toISOString(),
    });
  });

  it('counts nothing more for a wrong answer the method already counted', async () => {
    method.verify.mockResolvedValue({ ok: false, alreadyCounted: true });
    await expect(sut.verify('f1', dto, ctx)).rejects.toMatchObject({ code: ErrorCode.InvalidCode });
    expect(lockout.recordCodeFailure).not.toHaveBeenCalled();
    expect(facts.record).not.toHaveBeenCalled();
  });

  it('ends a login with a session, trusting the browser under the trimmed name', async () => {
    await sut.verify('f1', { ...dto, trustBrowser: { name: ' Office PC ' } } as VerifyDto, ctx);
    expect(lockout.recordCodeSuccess).toHaveBeenCalledWith('alice', manager);
    expect(completion.finish).toHaveBeenCalledWith(manager, alice, {
      flow: login,
      secondFactorAt: clock.now(),
      methods: ['password', 'totp'],
      trustBrowserName: 'Office PC',
      ctx,
    });
  });

  it('goes on to the initial password when it is still owed (AUTH-14)', async () => {
    completion.owesInitialPassword.mockResolvedValue(true);
    expect(await sut.verify('f1', dto, ctx)).toEqual({ status: 'initial_password_required', flowId: 'f1' });
    expect(flows.advanceToInitialPassword).toHaveBeenCalledWith(manager, login, clock.now(), 'totp', null);
    expect(completion.finish).not.toHaveBeenCalled();
  });
});
