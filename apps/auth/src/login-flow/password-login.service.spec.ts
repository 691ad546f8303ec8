import { EntityManager } from 'typeorm';
import { Clock } from '@app/config';
import { AuthenticatedResult, CallContext, DomainError, ErrorCode } from '@app/contracts';
import { NewAuditEvent, OutboxWriter } from '@app/database';
import { silentLogger } from '@app/testing';
import { CredentialRefusal } from '../lockout/credential-refusal';
import { LockoutRepository } from '../lockout/lockout.repository';
import { LockoutService } from '../lockout/lockout.service';
import { UserNotices } from '../users/user-notices';
import { PasswordHasher } from '../password/password-hasher';
import { RiskAssessor } from '../risk/risk-assessor.service';
import { RiskVerdict } from '../risk/risk-verdict.util';
import { SecondFactorDecider } from '../risk/second-factor-decider';
import { TrustedBrowsersService } from '../trusted-browsers/trusted-browsers.service';
import { User } from '../users/user.entity';
import { AuditFacts } from '../users/audit-facts';
import { LoginAccount } from '../users/login-account';
import { LoginCompletion } from './login-completion.service';
import { LoginFlow } from '../flows/login-flow.entity';
import { LoginFlowService } from '../flows/login-flow.service';
import { PasswordLoginService } from './password-login.service';
import { PasswordStepRead, PasswordStepRepository } from './password-step.repository';
import { SecondStepMethods } from '../flows/second-step-methods';

describe(PasswordLoginService.name, () => {
  const ctx: CallContext = { requestId: 'r1' };
  const alice: LoginAccount = {
    user: {
      id: 'u1',
      userIdKey: 'alice',
      passwordHash: '$argon2id$stored',
      loginDisabled: false,
      isOperator: false,
      mfaRequired: false,
      phone: null,
      email: 'a@example.com',
    } as User,
    memberships: [{ tenantNumber: 'N1', tenantName: 'T', role: 'user', mfaAlways: false }],
  };

  let lockout: jest.Mocked<
    Pick<LockoutService, 'reserveAttempt' | 'failure' | 'recordSuccess' | 'successStatement'>
  >;
  /** Whether the refusal's statement finds that its failure locked the ID. */
  let locks: boolean;
  const settle = { sql: 'UPDATE auth.login_throttle …', params: [], name: 'settled' };
  let hasher: jest.Mocked<Pick<PasswordHasher, 'verify'>>;
  let step: { reserveAndRead: jest.Mock; transaction: jest.Mock; standalone: EntityManager };
  /** The one read of a step whose try was reserved. */
  const read = (account: LoginAccount | null): PasswordStepRead => ({
    reservation: { allowed: true },
    account,
    memory: null,
  });
  let outbox: jest.Mocked<Pick<OutboxWriter, 'record' | 'recordAll'>>;
  let flows: jest.Mocked<Pick<LoginFlowService, 'open' | 'draft'>>;
  /** The count reset that travels with the fact of a right password's outcome. */
  const reset = { sql: 'UPDATE auth.login_throttle …', params: ['alice'] };
  const flowInsert = { sql: 'INSERT INTO auth.login_flow …', params: ['f1'] };
  const drafted = (): ReturnType<LoginFlowService['draft']> => ({
    flow: { id: 'f1', expiresAt: new Date('2026-01-01T00:15:00Z') } as LoginFlow,
    insert: flowInsert,
  });
  let completion: jest.Mocked<Pick<LoginCompletion, 'finish' | 'owesInitialPassword'>>;
  let risk: jest.Mocked<Pick<RiskAssessor, 'assess'>>;
  let trustedBrowsers: jest.Mocked<Pick<TrustedBrowsersService, 'recognise'>>;
  const methods = {
    offers: jest.fn().mockResolvedValue([{ type: 'email', destination: 'a***@example.com', default: true }]),
  };
  let sut: PasswordLoginService;

  beforeEach(() => {
    lockout = {
      reserveAttempt: jest.fn().mockResolvedValue({ allowed: true }),
      failure: jest.fn().mockReturnValue({ statement: settle, lockedNow: 'EXISTS (… locks)' }),
      recordSuccess: jest.fn(),
      successStatement: jest.fn().mockReturnValue(reset),
    };
    hasher = { verify: jest.fn() };
    step = {
      reserveAndRead: jest.fn(),
      transaction: jest.fn((fn: (m: EntityManager) => unknown) => fn({} as EntityManager)),
      standalone: {} as EntityManager,
    };
    locks = false;
    outbox = {
      record: jest.fn(),
      // As PostgreSQL would: a fact under a condition is written only when the condition holds.
      recordAll: jest.fn(
        async (_m: EntityManager, events: NewAuditEvent[], _c: unknown, onlyIf: unknown[] = []) =>
          events.filter((_, i) => onlyIf[i] === undefined || locks),
      ) as unknown as jest.Mocked<OutboxWriter>['recordAll'],
    };
    flows = { open: jest.fn(), draft: jest.fn().mockImplementation(drafted) };
    completion = {
      finish: jest.fn().mockResolvedValue({ status: 'authenticated' } as AuthenticatedResult),
      owesInitialPassword: jest.fn().mockResolvedValue(false),
    };
    risk = {
      assess: jest.fn().mockResolvedValue({ outcome: 'allow', score: 0, reasons: [] } as RiskVerdict),
    };
    trustedBrowsers = { recognise: jest.fn().mockResolvedValue(null) };
    const throttle = { standalone: {} as EntityManager } as unknown as LockoutRepository;
    sut = new PasswordLoginService(
      step as unknown as PasswordStepRepository,
      lockout as unknown as LockoutService,
      hasher as unknown as PasswordHasher,
      flows as unknown as LoginFlowService,
      methods as unknown as SecondStepMethods,
      new SecondFactorDecider(
        risk as unknown as RiskAssessor,
        trustedBrowsers as unknown as TrustedBrowsersService,
      ),
      completion as unknown as LoginCompletion,
      new AuditFacts(outbox as unknown as OutboxWriter),
      new CredentialRefusal(
        throttle,
        lockout as unknown as LockoutService,
        new AuditFacts(outbox as unknown as OutboxWriter),
        { send: async () => undefined, notice: () => null } as unknown as UserNotices,
        { now: () => new Date() } as unknown as Clock,
      ),
      silentLogger(),
    );
  });

  const codeOf = (p: Promise<unknown>) =>
    p.then(
      () => 'ok',
      (e: DomainError) => e.toPayload(),
    );

  it('reserves the try under the normalized key before looking at the password', async () => {
    step.reserveAndRead.mockResolvedValue({
      reservation: { allowed: false, retryAfterSeconds: 1200 },
      account: alice,
      memory: null,
    });
    expect(await codeOf(sut.login({ userId: '  ALICE ', password: 'x' }, ctx))).toEqual({
      code: ErrorCode.AccountLocked,
      details: { retryAfter: 1200 },
    });
    expect(step.reserveAndRead).toHaveBeenCalledWith('alice');
    expect(hasher.verify).not.toHaveBeenCalled();
    expect(outbox.record).toHaveBeenCalledWith(
      expect.anything(),
      expect.objectContaining({ type: 'auth.login.refused_locked' }),
    );
  });

  it('runs the hash check with no hash for an unknown ID (dummy hash, same timing) and answers like a wrong password', async () => {
    step.reserveAndRead.mockResolvedValue(read(null));
    hasher.verify.mockResolvedValue(false);
    const unknown = await codeOf(sut.login({ userId: 'nobody', password: 'x' }, ctx));
    expect(hasher.verify).toHaveBeenCalledWith(null, 'x');

    step.reserveAndRead.mockResolvedValue(read(alice));
    const wrong = await codeOf(sut.login({ userId: 'alice', password: 'x' }, ctx));
    expect(hasher.verify).toHaveBeenLastCalledWith('$argon2id$stored', 'x');

    expect(unknown).toEqual({ code: ErrorCode.InvalidCredentials });
    expect(wrong).toEqual(unknown);
    // Settled in the statement that writes `auth.login.failed`, the same for both.
    expect(lockout.failure).toHaveBeenCalledTimes(2);
    expect(lockout.failure).toHaveBeenCalledWith('alice');
    expect(outbox.recordAll).toHaveBeenCalledTimes(2);
    expect(outbox.recordAll.mock.calls[0][2]).toEqual([settle]);
    expect(outbox.recordAll.mock.calls[1][2]).toEqual([settle]);
  });

  it('audits the lock when the failure locked the ID', async () => {
    step.reserveAndRead.mockResolvedValue(read(alice));
    hasher.verify.mockResolvedValue(false);
    locks = true;
    await codeOf(sut.login({ userId: 'alice', password: 'x' }, ctx));
    const [, events, , onlyIf] = outbox.recordAll.mock.calls[0];
    expect(events.map((e) => e.type)).toEqual(['auth.login.failed', 'auth.login.locked_out']);
    expect(onlyIf).toEqual([undefined, 'EXISTS (… locks)']);
    expect(events[0]).toMatchObject({ actor: { userId: 'u1' }, tenants: ['N1'] });
  });

  it('tells a disabled login only after the right password', async () => {
    step.reserveAndRead.mockResolvedValue(
      read({ ...alice, user: { ...alice.user, loginDisabled: true } as User }),
    );
    hasher.verify.mockResolvedValue(true);
    expect(await codeOf(sut.login({ userId: 'alice', password: 'right' }, ctx))).toEqual({
      code: ErrorCode.LoginDisabled,
    });
    // Reset in the statement of the refusal's audit event.
    expect(lockout.successStatement).toHaveBeenCalledWith('alice');
    expect(outbox.record).toHaveBeenCalledWith(
      expect.anything(),
      expect.objectContaining({ type: 'auth.login.refused_disabled' }),
      [reset],
    );
  });

  it('opens a flow instead of a session when a second step is owed', async () => {
    step.reserveAndRead.mockResolvedValue(
      read({ ...alice, user: { ...alice.user, mfaRequired: true } as User }),
    );
    hasher.verify.mockResolvedValue(true);
    const result = await sut.login({ userId: 'alice', password: 'right' }, ctx);
    // The count reset and the flow go in the statement of the flow's fact.
    expect(outbox.record).toHaveBeenCalledWith(
      expect.anything(),
      expect.objectContaining({
        type: 'auth.login.second_factor_required',
        target: { type: 'login_flow', id: 'f1' },
      }),
      [reset, flowInsert],
    );
    expect(result).toEqual({
      status: 'second_factor_required',
      flowId: 'f1',
      expiresAt: '2026-01-01T00:15:00.000Z',
      methods: [{ type: 'email', destination: 'a***@example.com', default: true }],
      reasons: ['user_mfa'],
    });
    expect(completion.finish).not.toHaveBeenCalled();
  });

  it('starts a session at once when no second step is owed', async () => {
    step.reserveAndRead.mockResolvedValue(read(alice));
    hasher.verify.mockResolvedValue(true);
    expect(await sut.login({ userId: 'alice', password: 'right' }, ctx)).toEqual({ status: 'authenticated' });
    expect(completion.finish).toHaveBeenCalledWith(expect.anything(), alice, {
      secondFactorAt: null,
      methods: ['password'],
      ctx,
      alongside: [reset],
    });
  });

  it('starts the session in one statement without a transaction when the read says no initial password is owed', async () => {
    const preloaded = { totpEnabled: false, pushApproverNames: [], owesInitialPassword: false };
    step.reserveAndRead.mockResolvedValue(read({ ...alice, preloaded }));
    hasher.verify.mockResolvedValue(true);
    expect(await sut.login({ userId: 'alice', password: 'right' }, ctx)).toEqual({ status: 'authenticated' });
    expect(step.transaction).not.toHaveBeenCalled();
    expect(completion.finish).toHaveBeenCalledWith(step.standalone, expect.objectContaining({ preloaded }), {
      secondFactorAt: null,
      methods: ['password'],
      ctx,
      alongside: [reset],
    });
  });

  it('denies with 403 login_denied and audits the risk reasons when the risk check denies', async () => {
    step.reserveAndRead.mockResolvedValue(read(alice));
    hasher.verify.mockResolvedValue(true);
    risk.assess.mockResolvedValue({
      outcome: 'deny',
      score: 8,
      reasons: ['impossible_travel', 'recent_failures'],
    });
    expect(await codeOf(sut.login({ userId: 'alice', password: 'right' }, ctx))).toEqual({
      code: ErrorCode.LoginDenied,
    });
    expect(outbox.record).toHaveBeenCalledWith(
      expect.anything(),
      expect.objectContaining({
        type: 'auth.login.denied_risk',
        reasons: ['impossible_travel', 'recent_failures'],
      }),
      [reset],
    );
    expect(flows.draft).not.toHaveBeenCalled();
    expect(completion.finish).not.toHaveBeenCalled();
  });

  it('asks a user without MFA for a second step when the risk check does, with its reasons', async () => {
    step.reserveAndRead.mockResolvedValue(read(alice));
    hasher.verify.mockResolvedValue(true);
    risk.assess.mockResolvedValue({
      outcome: 'second_factor',
      score: 3,
      reasons: ['new_device', 'new_network'],
    });
    const result = await sut.login({ userId: 'alice', password: 'right' }, ctx);
    expect(result).toMatchObject({
      status: 'second_factor_required',
      reasons: ['new_device', 'new_network'],
    });
    expect(outbox.record).toHaveBeenCalledWith(
      expect.anything(),
      expect.objectContaining({
        type: 'auth.login.second_factor_required',
        reasons: ['new_device', 'new_network'],
      }),
      [reset, flowInsert],
    );
  });

  it('lets a trusted browser of the user skip the second step the policy owes', async () => {
    const withMfa = { ...alice, user: { ...alice.user, mfaRequired: true } as User };
    step.reserveAndRead.mockResolvedValue(read(withMfa));
    hasher.verify.mockResolvedValue(true);
    trustedBrowsers.recognise.mockResolvedValue('b1');
    expect(await sut.login({ userId: 'alice', password: 'right', deviceToken: 'tok' }, ctx)).toEqual({
      status: 'authenticated',
    });
    expect(trustedBrowsers.recognise).toHaveBeenCalledWith('u1', 'tok');
    expect(completion.finish).toHaveBeenCalledWith(expect.anything(), withMfa, {
      secondFactorAt: null,
      methods: ['password', 'trusted_browser'],
      ctx,
      alongside: [reset],
    });
  });
});
