import { EntityManager } from 'typeorm';
import { Clock } from '@app/config';
import { ErrorCode } from '@app/contracts';
import { FakeClock, MockOf, newTestService } from '@app/testing';
import { LoginFlow } from '../flows/login-flow.entity';
import { LockoutService } from '../lockout/lockout.service';
import { SendCaps } from '../send-caps/send-caps.service';
import { recordedFacts } from '../users/audit-facts.fake';
import { LoginAccount } from '../users/login-account';
import { LoginAccountRepository } from '../users/login-account.repository';
import { User } from '../users/user.entity';
import { ApprovalRequestsService } from './approval-requests.service';
import { ApproversService } from './approvers.service';
import { PushApprover } from './push-approver.entity';
import { PushRequest } from './push-request.entity';
import { PushRepository } from './push.repository';

describe(ApprovalRequestsService.name, () => {
  const clock = new FakeClock(new Date('2026-01-01T00:00:00Z'));
  const manager = {} as EntityManager;
  const later = new Date(clock.now().getTime() + 60_000);
  const alice: LoginAccount = { user: { id: 'u1', userIdKey: 'alice' } as User, memberships: [] };
  const request = {
    id: 'r1',
    flowId: 'f1',
    userId: 'u1',
    matchNumber: 42,
    status: 'pending',
    expiresAt: later,
  } as PushRequest;
  // A login flow: it acts in no tenant, so no session is read.
  const flow = { id: 'f1', purpose: 'login', status: 'pending', expiresAt: later } as LoginFlow;
  let sut: ApprovalRequestsService;
  let push: MockOf<PushRepository>;
  let lockout: MockOf<LockoutService>;
  let caps: MockOf<SendCaps>;
  let facts: { record: jest.Mock };

  beforeEach(async () => {
    const t = await newTestService(ApprovalRequestsService, [{ provide: Clock, useValue: clock }]);
    sut = t.sut;
    push = t.mock(PushRepository);
    push.transaction.mockImplementation(async (work) => work(manager));
    push.lockRequest.mockResolvedValue(request);
    push.flowOf.mockResolvedValue(flow);
    t.mock(ApproversService).authenticate.mockResolvedValue({ id: 'a1', userId: 'u1' } as PushApprover);
    t.mock(LoginAccountRepository).findById.mockResolvedValue(alice);
    lockout = t.mock(LockoutService);
    lockout.recordCodeFailure.mockResolvedValue(false);
    caps = t.mock(SendCaps);
    caps.closeApprovalRequests.mockResolvedValue(undefined);
    ({ facts } = recordedFacts(t));
  });

  const types = () => facts.record.mock.calls.map(([, f]) => (f as { type: string }).type);

  it('answers not_found for a request that is not the approver’s user’s', async () => {
    push.lockRequest.mockResolvedValue(null);
    await expect(sut.decide('tok', 'r9', 'approve', 42)).rejects.toMatchObject({
      code: ErrorCode.NotFound,
    });
    expect(push.lockRequest).toHaveBeenCalledWith(manager, 'u1', 'r9');
  });

  it('refuses a second decision with a conflict naming the first', async () => {
    push.lockRequest.mockResolvedValue({ ...request, status: 'approved' } as PushRequest);
    await expect(sut.decide('tok', 'r1', 'deny', undefined)).rejects.toMatchObject({
      code: ErrorCode.Conflict,
      details: { reason: 'already_approved' },
    });
  });

  it.each([
    [
      'the request expired',
      () => push.lockRequest.mockResolvedValue({ ...request, expiresAt: clock.now() } as PushRequest),
    ],
    ['the login ended', () => push.flowOf.mockResolvedValue({ ...flow, status: 'completed' } as LoginFlow)],
  ])('answers code_expired when %s', async (_name, arrange) => {
    arrange();
    await expect(sut.decide('tok', 'r1', 'approve', 42)).rejects.toMatchObject({
      code: ErrorCode.CodeExpired,
    });
    expect(push.updateRequest).not.toHaveBeenCalled();
  });

  it('approves with the right number and closes the request', async () => {
    expect(await sut.decide('tok', 'r1', 'approve', 42)).toEqual({ status: 'approved' });
    expect(push.updateRequest).toHaveBeenCalledWith(manager, 'r1', {
      status: 'approved',
      decidedAt: clock.now(),
      decidedBy: 'a1',
    });
    expect(facts.record).toHaveBeenCalledWith(manager, {
      type: 'auth.push.approved',
      target: { type: 'login_flow', id: 'f1' },
      outcome: 'success',
      reasons: ['number_matched'],
    });
    expect(lockout.recordCodeFailure).not.toHaveBeenCalled();
    expect(caps.closeApprovalRequests).toHaveBeenCalledWith('u1', ['r1']);
  });

  it('counts an approval with the wrong number as a wrong answer (push fatigue)', async () => {
    expect(await sut.decide('tok', 'r1', 'approve', 7)).toEqual({ status: 'denied' });
    expect(facts.record.mock.calls[0][1]).toMatchObject({
      type: 'auth.push.denied',
      reasons: ['number_mismatch'],
    });
    expect(types()).toEqual(['auth.push.denied', 'auth.second_factor.failed']);
    expect(lockout.recordCodeFailure).toHaveBeenCalledWith('alice', manager);
  });

  it('records the lock when a denial locked the account', async () => {
    lockout.recordCodeFailure.mockResolvedValue(true);
    await sut.decide('tok', 'r1', 'deny', undefined);
    expect(types()).toEqual(['auth.push.denied', 'auth.second_factor.failed', 'auth.login.locked_out']);
  });
});
