import { EntityManager } from 'typeorm';
import { Clock } from '@app/config';
import {
  AuthenticatedResult,
  CallContext,
  DomainError,
  ErrorCode,
  NotificationJob,
  Principal,
  VerifyDto,
} from '@app/contracts';
import { NewAuditEvent, OutboxWriter, ProjectedStatement } from '@app/database';
import { FakeClock, MockOf, newTestService } from '@app/testing';
import { LoginFlow } from '../flows/login-flow.entity';
import { LoginFlowService } from '../flows/login-flow.service';
import { SecondStepMethod } from '../flows/second-step-method';
import { SecondStepMethods } from '../flows/second-step-methods';
import { LockoutService } from '../lockout/lockout.service';
import { SessionsService } from '../sessions/sessions.service';
import { AuditFacts, OutcomeWrite } from '../users/audit-facts';
import { LoginAccount } from '../users/login-account';
import { User } from '../users/user.entity';
import { UserNotices } from '../users/user-notices';
import { LoginCompletion } from './login-completion.service';
import { SecondStepRead, SecondStepRepository } from './second-step.repository';
import { SecondStepService } from './second-step.service';

describe(SecondStepService.name, () => {
  const clock = new FakeClock(new Date('2026-01-01T00:00:00Z'));
  const manager = {} as EntityManager;
  const ctx = {} as CallContext;
  const flowId = '00000000-0000-4000-8000-000000000001';
  const alice: LoginAccount = {
    user: { id: 'u1', userIdKey: 'alice', loginDisabled: false } as User,
    memberships: [],
  };
  const login = {
    id: flowId,
    userId: 'u1',
    purpose: 'login',
    stage: 'second_factor',
    sessionId: null,
  } as LoginFlow;
  const dto = { method: 'totp', code: '123456' } as VerifyDto;
  const statement = (sql: string): ProjectedStatement => ({ sql, params: [] });
  let sut: SecondStepService;
  let reads: MockOf<SecondStepRepository>;
  let read: SecondStepRead;
  let flows: MockOf<LoginFlowService>;
  let method: { verify: jest.Mock };
  let lockout: MockOf<LockoutService>;
  let sessions: MockOf<SessionsService>;
  let completion: MockOf<LoginCompletion>;
  let notices: MockOf<UserNotices>;
  let auditFacts: AuditFacts;
  let outbox: { record: jest.Mock; recordAll: jest.Mock };

  beforeEach(async () => {
    outbox = { record: jest.fn(), recordAll: jest.fn(async (_m, events: unknown[]) => events) };
    // The real helper over a mocked writer: the facts and changes of each statement are checked.
    auditFacts = new AuditFacts(outbox as unknown as OutboxWriter);
    jest.spyOn(auditFacts, 'of');
    const t = await newTestService(SecondStepService, [
      { provide: Clock, useValue: clock },
      { provide: AuditFacts, useValue: auditFacts },
    ]);
    sut = t.sut;
    read = {
      flow: login,
      account: alice,
      owesInitialPassword: false,
      throttle: { lockedUntil: null, codeFailures: 0 },
      latestCode: null,
      actingTenant: null,
    };
    reads = t.mock(SecondStepRepository);
    reads.transaction.mockImplementation(async (work) => work(manager));
    reads.lockForVerify.mockImplementation(async () => read);
    flows = t.mock(LoginFlowService);
    flows.isFlowId.mockReturnValue(true);
    flows.requireLive.mockImplementation((flow) => {
      if (!flow) {
        throw new DomainError(ErrorCode.FlowExpired);
      }
      return flow;
    });
    flows.completeStatement.mockReturnValue(statement('complete flow'));
    flows.advanceStatement.mockReturnValue(statement('advance flow'));
    method = { verify: jest.fn().mockResolvedValue({ ok: true, writes: [statement('consume code')] }) };
    t.mock(SecondStepMethods).get.mockReturnValue(method as unknown as SecondStepMethod);
    lockout = t.mock(LockoutService);
    lockout.lockedForHeld.mockReturnValue(null);
    lockout.codeFailure.mockReturnValue({ statement: statement('count failure'), locks: false });
    lockout.codeSuccessStatement.mockReturnValue(statement('reset codes'));
    sessions = t.mock(SessionsService);
    completion = t.mock(LoginCompletion);
    completion.finish.mockImplementation(async (m, _account, finish) => {
      await (finish.outcome as OutcomeWrite).commit(m);
      return { status: 'authenticated' } as AuthenticatedResult;
    });
    notices = t.mock(UserNotices);
    notices.notice.mockReturnValue({ template: 'account-locked' } as unknown as NotificationJob);
  });

  /** The statements written: each one's fact types and changes. */
  const written = () =>
    outbox.recordAll.mock.calls.map(([, events, changes]) => ({
      facts: (events as NewAuditEvent[]).map((e) => e.type),
      changes: (changes as ProjectedStatement[]).map((c) => c.sql),
    }));

  it('answers flow_expired for an id that cannot name a flow, without a read', async () => {
    flows.isFlowId.mockReturnValue(false);
    await expect(sut.verify('nope', dto, ctx)).rejects.toMatchObject({ code: ErrorCode.FlowExpired });
    expect(reads.transaction).not.toHaveBeenCalled();
  });

  it('answers flow_expired for a flow the read did not find live', async () => {
    reads.lockForVerify.mockResolvedValue(null);
    await expect(sut.verify(flowId, dto, ctx)).rejects.toMatchObject({ code: ErrorCode.FlowExpired });
    expect(reads.lockForVerify).toHaveBeenCalledWith(manager, flowId, clock.now());
    expect(method.verify).not.toHaveBeenCalled();
  });

  it('answers flow_expired for a flow waiting for the initial password, not a second step', async () => {
    read.flow = { ...login, stage: 'initial_password' } as LoginFlow;
    await expect(sut.verify(flowId, dto, ctx)).rejects.toMatchObject({ code: ErrorCode.FlowExpired });
  });

  describe('a step-up', () => {
    const stepUp = { ...login, purpose: 'step_up', sessionId: 's1' } as LoginFlow;
    beforeEach(() => {
      read.flow = stepUp;
      read.actingTenant = 'N1';
    });

    it('needs the access token of its own session', async () => {
      await expect(sut.verify(flowId, dto, ctx)).rejects.toMatchObject({ code: ErrorCode.Unauthorized });
      const other = { principal: { id: 'u1', sessionId: 's2' } as Principal } as CallContext;
      await expect(sut.verify(flowId, dto, other)).rejects.toMatchObject({ code: ErrorCode.FlowExpired });
      expect(method.verify).not.toHaveBeenCalled();
    });

    it('refreshes its session’s second step', async () => {
      sessions.completeStepUp.mockResolvedValue({ status: 'authenticated' } as AuthenticatedResult);
      const own = { principal: { id: 'u1', sessionId: 's1' } as Principal } as CallContext;
      await sut.verify(flowId, dto, own);
      expect(flows.completeStatement).toHaveBeenCalledWith(stepUp, clock.now());
      expect(sessions.completeStepUp).toHaveBeenCalledWith(manager, 's1', alice, clock.now());
      expect(written()).toEqual([
        {
          facts: ['auth.second_factor.succeeded', 'auth.step_up.succeeded'],
          changes: ['consume code', 'reset codes', 'complete flow'],
        },
      ]);
      // Its facts are its tenant's (AUDIT_EVENT_SCOPES).
      expect(auditFacts.of).toHaveBeenCalledWith(alice, 'N1');
    });
  });

  it('refuses a locked account before the code is looked at (AUTH-6)', async () => {
    lockout.lockedForHeld.mockReturnValue(90);
    await expect(sut.verify(flowId, dto, ctx)).rejects.toMatchObject({
      code: ErrorCode.AccountLocked,
      details: { retryAfter: 90 },
    });
    expect(lockout.lockedForHeld).toHaveBeenCalledWith(read.throttle);
    expect(written()).toEqual([{ facts: ['auth.login.refused_locked'], changes: [] }]);
    expect(method.verify).not.toHaveBeenCalled();
  });

  it('refuses an account whose login was disabled since the password', async () => {
    read.account = { ...alice, user: { ...alice.user, loginDisabled: true } as User };
    await expect(sut.verify(flowId, dto, ctx)).rejects.toMatchObject({ code: ErrorCode.LoginDisabled });
    expect(method.verify).not.toHaveBeenCalled();
    expect(outbox.recordAll).not.toHaveBeenCalled();
  });

  it('hands the method the code read with the flow', async () => {
    const latestCode = { id: 'c1' } as SecondStepRead['latestCode'];
    read.latestCode = latestCode;
    await sut.verify(flowId, dto, ctx);
    expect(method.verify).toHaveBeenCalledWith(manager, login, alice, '123456', clock.now(), { latestCode });
  });

  it('counts a wrong code and tells the attempts left, in one statement', async () => {
    method.verify.mockResolvedValue({ ok: false, attemptsLeft: 2, writes: [statement('spend try')] });
    await expect(sut.verify(flowId, dto, ctx)).rejects.toMatchObject({
      code: ErrorCode.InvalidCode,
      details: { attemptsLeft: 2 },
    });
    expect(lockout.codeFailure).toHaveBeenCalledWith('alice', read.throttle);
    expect(written()).toEqual([
      { facts: ['auth.second_factor.failed'], changes: ['spend try', 'count failure'] },
    ]);
    expect(outbox.recordAll.mock.calls[0][1][0]).toMatchObject({
      target: { type: 'login_flow', id: flowId },
      outcome: 'failure',
      reasons: ['totp'],
    });
    expect(notices.send).not.toHaveBeenCalled();
  });

  it('records the lock and tells the owner when a wrong code locked the account', async () => {
    method.verify.mockResolvedValue({ ok: false, attemptsLeft: 0 });
    lockout.codeFailure.mockReturnValue({ statement: statement('count failure'), locks: true });
    await expect(sut.verify(flowId, dto, ctx)).rejects.toMatchObject({ code: ErrorCode.InvalidCode });
    expect(written()).toEqual([
      { facts: ['auth.second_factor.failed', 'auth.login.locked_out'], changes: ['count failure'] },
    ]);
    expect(outbox.recordAll.mock.calls[0][1][0]).toMatchObject({ reasons: ['totp', 'attempts_exhausted'] });
    expect(notices.notice).toHaveBeenCalledWith(alice, 'account-locked', {
      until: new Date(clock.now().getTime() + 20 * 60_000).toISOString(),
    });
  });

  it('counts nothing more for a wrong answer the method already counted', async () => {
    method.verify.mockResolvedValue({ ok: false, alreadyCounted: true });
    await expect(sut.verify(flowId, dto, ctx)).rejects.toMatchObject({ code: ErrorCode.InvalidCode });
    expect(lockout.codeFailure).not.toHaveBeenCalled();
    expect(outbox.recordAll).not.toHaveBeenCalled();
  });

  it('ends a login with a session in the same statement, trusting the browser under the trimmed name', async () => {
    await sut.verify(flowId, { ...dto, trustBrowser: { name: ' Office PC ' } } as VerifyDto, ctx);
    expect(completion.finish).toHaveBeenCalledWith(manager, alice, {
      flow: login,
      secondFactorAt: clock.now(),
      methods: ['password', 'totp'],
      trustBrowserName: 'Office PC',
      ctx,
      outcome: expect.any(OutcomeWrite),
    });
    // The code, the count and the success go in the statement that ends the login.
    expect(written()).toEqual([
      { facts: ['auth.second_factor.succeeded'], changes: ['consume code', 'reset codes'] },
    ]);
  });

  it('goes on to the initial password when it is still owed (AUTH-14)', async () => {
    read.owesInitialPassword = true;
    expect(await sut.verify(flowId, dto, ctx)).toEqual({ status: 'initial_password_required', flowId });
    expect(flows.advanceStatement).toHaveBeenCalledWith(login, clock.now(), 'totp', null);
    expect(written()).toEqual([
      {
        facts: ['auth.second_factor.succeeded'],
        changes: ['consume code', 'reset codes', 'advance flow'],
      },
    ]);
    expect(completion.finish).not.toHaveBeenCalled();
  });
});
