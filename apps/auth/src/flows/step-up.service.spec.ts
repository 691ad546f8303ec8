import { EntityManager } from 'typeorm';
import { APP_CONFIG, Clock } from '@app/config';
import { ErrorCode, MethodOption, Principal } from '@app/contracts';
import { FakeClock, MockOf, newTestService } from '@app/testing';
import { Session } from '../sessions/session.entity';
import { AuditFacts } from '../users/audit-facts';
import { recordedFacts } from '../users/audit-facts.fake';
import { LoginAccount } from '../users/login-account';
import { LoginAccountRepository } from '../users/login-account.repository';
import { User } from '../users/user.entity';
import { FlowsRepository } from './flows.repository';
import { LoginFlow } from './login-flow.entity';
import { LoginFlowService } from './login-flow.service';
import { SecondStepMethods } from './second-step-methods';
import { StepUpService } from './step-up.service';

describe(StepUpService.name, () => {
  const clock = new FakeClock(new Date('2026-01-01T00:10:00Z'));
  const manager = {} as EntityManager;
  const caller = { id: 'u1', sessionId: 's1', tenant: 'N1' } as Principal;
  const alice: LoginAccount = { user: { id: 'u1' } as User, memberships: [] };
  const minutesAgo = (m: number) => new Date(clock.now().getTime() - m * 60_000);
  const session = {
    id: 's1',
    revokedAt: null,
    expiresAt: new Date(clock.now().getTime() + 3_600_000),
    secondFactorAt: minutesAgo(6),
  } as Session;
  const offers: MethodOption[] = [{ type: 'totp', default: true }];
  let sut: StepUpService;
  let repository: MockOf<FlowsRepository>;
  let flows: MockOf<LoginFlowService>;
  let accounts: MockOf<LoginAccountRepository>;
  let methods: MockOf<SecondStepMethods>;
  let auditFacts: MockOf<AuditFacts>;
  let facts: { record: jest.Mock };

  beforeEach(async () => {
    const t = await newTestService(StepUpService, [
      { provide: Clock, useValue: clock },
      // A 5-minute window.
      { provide: APP_CONFIG, useValue: { STEP_UP_WINDOW_SECONDS: 300 } },
    ]);
    sut = t.sut;
    repository = t.mock(FlowsRepository);
    repository.transaction.mockImplementation(async (work) => work(manager));
    repository.sessionOf.mockResolvedValue(session);
    flows = t.mock(LoginFlowService);
    flows.open.mockResolvedValue({ id: 'f1', expiresAt: clock.now() } as LoginFlow);
    accounts = t.mock(LoginAccountRepository);
    accounts.findById.mockResolvedValue(alice);
    methods = t.mock(SecondStepMethods);
    methods.offers.mockResolvedValue(offers);
    ({ auditFacts, facts } = recordedFacts(t));
  });

  it('refuses a request without a caller', async () => {
    await expect(sut.require(undefined, 'x')).rejects.toMatchObject({
      code: ErrorCode.Unauthorized,
    });
  });

  it.each([
    ['no session of the caller', null],
    ['a revoked session', { ...session, revokedAt: minutesAgo(1) }],
    ['an expired session', { ...session, expiresAt: clock.now() }],
  ])('answers session_ended for %s', async (_name, found) => {
    repository.sessionOf.mockResolvedValue(found as Session | null);
    await expect(sut.require(caller, 'password.change')).rejects.toMatchObject({
      code: ErrorCode.SessionEnded,
    });
    expect(repository.sessionOf).toHaveBeenCalledWith('u1', 's1');
    expect(flows.open).not.toHaveBeenCalled();
  });

  it('passes a session whose second step is younger than the window (AUTH-12)', async () => {
    repository.sessionOf.mockResolvedValue({ ...session, secondFactorAt: minutesAgo(4) } as Session);
    await expect(sut.require(caller, 'password.change')).resolves.toBeUndefined();
    expect(flows.open).not.toHaveBeenCalled();
  });

  it('opens a step-up flow bound to the session, with the tenant’s methods, once the window passed', async () => {
    await expect(sut.require(caller, 'password.change')).rejects.toMatchObject({
      code: ErrorCode.StepUpRequired,
      details: { flowId: 'f1', expiresAt: clock.now().toISOString(), methods: offers },
    });
    expect(methods.offers).toHaveBeenCalledWith(alice, 'N1');
    expect(flows.open).toHaveBeenCalledWith(manager, 'u1', 'step_up', expect.anything(), {
      sessionId: 's1',
    });
    expect(auditFacts.of).toHaveBeenCalledWith(alice, 'N1');
    expect(facts.record).toHaveBeenCalledWith(manager, {
      type: 'auth.step_up.required',
      target: { type: 'login_flow', id: 'f1' },
      outcome: 'info',
      reasons: ['password.change'],
    });
  });

  it('asks for a step-up from a session that never had a second step', async () => {
    repository.sessionOf.mockResolvedValue({ ...session, secondFactorAt: null } as Session);
    await expect(sut.require(caller, 'x')).rejects.toMatchObject({ code: ErrorCode.StepUpRequired });
  });

  it('answers session_ended when the account is gone', async () => {
    accounts.findById.mockResolvedValue(null);
    await expect(sut.require(caller, 'x')).rejects.toMatchObject({ code: ErrorCode.SessionEnded });
  });
});
