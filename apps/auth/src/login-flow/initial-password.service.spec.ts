import { EntityManager } from 'typeorm';
import { Clock } from '@app/config';
import { AuthenticatedResult, CallContext, DomainError, ErrorCode } from '@app/contracts';
import { FakeClock, MockOf, newTestService } from '@app/testing';
import { LoginFlow } from '../flows/login-flow.entity';
import { LoginFlowService } from '../flows/login-flow.service';
import { CredentialRefusal } from '../lockout/credential-refusal';
import { LockoutService } from '../lockout/lockout.service';
import { PasswordHasher } from '../password/password-hasher';
import { LoginAccount } from '../users/login-account';
import { LoginAccountRepository } from '../users/login-account.repository';
import { User } from '../users/user.entity';
import { InitialPassword } from './initial-password.entity';
import { InitialPasswordService } from './initial-password.service';
import { LoginCompletion } from './login-completion.service';
import { PasswordStepRepository } from './password-step.repository';

describe(InitialPasswordService.name, () => {
  const clock = new FakeClock(new Date('2026-01-01T00:00:00Z'));
  const manager = {} as EntityManager;
  const ctx = {} as CallContext;
  const alice: LoginAccount = { user: { id: 'u1', userIdKey: 'alice' } as User, memberships: [] };
  const flow = {
    id: 'f1',
    userId: 'u1',
    stage: 'initial_password',
    secondFactorAt: clock.now(),
    secondFactorMethod: 'sms',
    trustBrowserName: null,
  } as LoginFlow;
  const unused = { userId: 'u1', passwordHash: '$initial', usedAt: null } as InitialPassword;
  let sut: InitialPasswordService;
  let step: MockOf<PasswordStepRepository>;
  let flows: MockOf<LoginFlowService>;
  let lockout: MockOf<LockoutService>;
  let hasher: MockOf<PasswordHasher>;
  let completion: MockOf<LoginCompletion>;
  let refusal: MockOf<CredentialRefusal>;

  beforeEach(async () => {
    const t = await newTestService(InitialPasswordService, [{ provide: Clock, useValue: clock }]);
    sut = t.sut;
    step = t.mock(PasswordStepRepository);
    step.transaction.mockImplementation(async (work) => work(manager));
    step.initialPassword.mockResolvedValue(unused);
    step.useInitialPassword.mockResolvedValue(true);
    flows = t.mock(LoginFlowService);
    flows.live.mockResolvedValue(flow);
    flows.lockLive.mockResolvedValue(flow);
    t.mock(LoginAccountRepository).findById.mockResolvedValue(alice);
    lockout = t.mock(LockoutService);
    lockout.reserveAttempt.mockResolvedValue({ allowed: true });
    hasher = t.mock(PasswordHasher);
    hasher.verify.mockResolvedValue(true);
    completion = t.mock(LoginCompletion);
    completion.finish.mockResolvedValue({ status: 'authenticated' } as AuthenticatedResult);
    refusal = t.mock(CredentialRefusal);
    refusal.refuse.mockRejectedValue(new DomainError(ErrorCode.InvalidCredentials));
  });

  it('answers flow_expired for a flow that owes no initial password', async () => {
    flows.live.mockResolvedValue({ ...flow, stage: 'second_factor' } as LoginFlow);
    await expect(sut.enter('f1', 'x', ctx)).rejects.toMatchObject({ code: ErrorCode.FlowExpired });
    expect(lockout.reserveAttempt).not.toHaveBeenCalled();
  });

  it('refuses a locked ID before looking at the password (AUTH-3)', async () => {
    lockout.reserveAttempt.mockResolvedValue({ allowed: false, retryAfterSeconds: 30 });
    await expect(sut.enter('f1', 'x', ctx)).rejects.toMatchObject({
      code: ErrorCode.AccountLocked,
      details: { retryAfter: 30 },
    });
    expect(hasher.verify).not.toHaveBeenCalled();
  });

  it('counts a wrong initial password as a failure', async () => {
    hasher.verify.mockResolvedValue(false);
    await expect(sut.enter('f1', 'wrong', ctx)).rejects.toMatchObject({
      code: ErrorCode.InvalidCredentials,
    });
    expect(refusal.refuse).toHaveBeenCalledWith('alice', alice, {
      type: 'auth.login.initial_password_failed',
      target: { type: 'login_flow', id: 'f1' },
      reasons: ['wrong_initial_password'],
    });
  });

  it('checks a used initial password against no hash, like a wrong one', async () => {
    step.initialPassword.mockResolvedValue({ ...unused, usedAt: clock.now() } as InitialPassword);
    hasher.verify.mockResolvedValue(false);
    await expect(sut.enter('f1', 'x', ctx)).rejects.toMatchObject({
      code: ErrorCode.InvalidCredentials,
    });
    expect(hasher.verify).toHaveBeenCalledWith(null, 'x');
  });

  it('answers flow_expired to the second of two right answers (single use)', async () => {
    step.useInitialPassword.mockResolvedValue(false);
    await expect(sut.enter('f1', 'right', ctx)).rejects.toMatchObject({
      code: ErrorCode.FlowExpired,
    });
    expect(completion.finish).not.toHaveBeenCalled();
  });

  it('ends the login with what the second step earned, naming every method used', async () => {
    expect(await sut.enter('f1', 'right', ctx)).toEqual({ status: 'authenticated' });
    expect(step.useInitialPassword).toHaveBeenCalledWith(manager, 'u1', clock.now());
    expect(lockout.recordSuccess).toHaveBeenCalledWith('alice', manager);
    expect(completion.finish).toHaveBeenCalledWith(manager, alice, {
      flow,
      secondFactorAt: clock.now(),
      methods: ['password', 'sms', 'initial_password'],
      trustBrowserName: null,
      ctx,
    });
  });
});
