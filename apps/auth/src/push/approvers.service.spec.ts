import { EntityManager } from 'typeorm';
import { Clock } from '@app/config';
import { DomainError, ErrorCode, Principal } from '@app/contracts';
import { FakeClock, MockOf, newTestService } from '@app/testing';
import { SecretHasher } from '../crypto/secret-hasher';
import { StepUpService } from '../flows/step-up.service';
import { AuditFacts } from '../users/audit-facts';
import { recordedFacts } from '../users/audit-facts.fake';
import { LoginAccount } from '../users/login-account';
import { LoginAccountRepository } from '../users/login-account.repository';
import { User } from '../users/user.entity';
import { ApproversService } from './approvers.service';
import { PushApprover } from './push-approver.entity';
import { PushRepository } from './push.repository';

describe(ApproversService.name, () => {
  const clock = new FakeClock(new Date('2026-01-01T00:00:00Z'));
  const manager = {} as EntityManager;
  const caller = { id: 'u1', tenant: 'N1' } as Principal;
  const alice: LoginAccount = { user: { id: 'u1' } as User, memberships: [] };
  const phone = { id: 'a1', userId: 'u1', name: 'Phone', lastUsedAt: null } as PushApprover;
  let sut: ApproversService;
  let push: MockOf<PushRepository>;
  let stepUp: MockOf<StepUpService>;
  let auditFacts: MockOf<AuditFacts>;
  let facts: { record: jest.Mock };

  beforeEach(async () => {
    const t = await newTestService(ApproversService, [{ provide: Clock, useValue: clock }]);
    sut = t.sut;
    push = t.mock(PushRepository);
    push.transaction.mockImplementation(async (work) => work(manager));
    push.revokeApprover.mockResolvedValue(true);
    push.liveApproverByToken.mockResolvedValue(phone);
    t.mock(LoginAccountRepository).ofCaller.mockResolvedValue(alice);
    stepUp = t.mock(StepUpService);
    const hasher = t.mock(SecretHasher);
    hasher.randomToken.mockReturnValue('approver-token');
    hasher.hmac.mockImplementation((value, context) => `hmac(${value},${context})`);
    ({ auditFacts, facts } = recordedFacts(t));
  });

  it('registers an approver after a fresh second step, keeping only its token’s HMAC (AUTH-13)', async () => {
    const view = await sut.register(caller, ' Phone ');
    expect(stepUp.require).toHaveBeenCalledWith(caller, 'push.approver.register');
    expect(push.insertApprover).toHaveBeenCalledWith(manager, {
      id: view.approverId,
      userId: 'u1',
      name: 'Phone',
      tokenHmac: 'hmac(approver-token,push-approver)',
      createdAt: clock.now(),
      lastUsedAt: null,
      revokedAt: null,
    });
    expect(view.approverToken).toBe('approver-token');
    expect(auditFacts.of).toHaveBeenCalledWith(alice, 'N1');
    expect(facts.record).toHaveBeenCalledWith(manager, {
      type: 'auth.push.approver_registered',
      target: { type: 'push_approver', id: view.approverId },
      outcome: 'success',
    });
  });

  it('registers nothing without the step-up', async () => {
    stepUp.require.mockRejectedValue(new DomainError(ErrorCode.StepUpRequired));
    await expect(sut.register(caller, 'Phone')).rejects.toMatchObject({
      code: ErrorCode.StepUpRequired,
    });
    expect(push.insertApprover).not.toHaveBeenCalled();
  });

  it('answers not_found for an approver the caller has not (or no longer) got', async () => {
    push.revokeApprover.mockResolvedValue(false);
    await expect(sut.remove(caller, 'a2')).rejects.toMatchObject({ code: ErrorCode.NotFound });
    expect(push.revokeApprover).toHaveBeenCalledWith(manager, 'u1', 'a2', clock.now());
    expect(facts.record).not.toHaveBeenCalled();
  });

  it('records the removal of one of the caller’s approvers', async () => {
    await sut.remove(caller, 'a1');
    expect(stepUp.require).toHaveBeenCalledWith(caller, 'push.approver.remove');
    expect(facts.record).toHaveBeenCalledWith(manager, {
      type: 'auth.push.approver_removed',
      target: { type: 'push_approver', id: 'a1' },
      outcome: 'success',
    });
  });

  describe('authenticate', () => {
    it('answers an empty, unknown or revoked token alike, with unauthorized', async () => {
      await expect(sut.authenticate(manager, '')).rejects.toMatchObject({
        code: ErrorCode.Unauthorized,
      });
      expect(push.liveApproverByToken).not.toHaveBeenCalled();
      push.liveApproverByToken.mockResolvedValue(null);
      await expect(sut.authenticate(manager, 'other')).rejects.toMatchObject({
        code: ErrorCode.Unauthorized,
      });
    });

    it('finds the approver by its token’s HMAC and notes its use', async () => {
      const found = await sut.authenticate(manager, 'approver-token');
      expect(push.liveApproverByToken).toHaveBeenCalledWith(manager, 'hmac(approver-token,push-approver)');
      expect(push.noteApproverUse).toHaveBeenCalledWith(manager, 'a1', clock.now());
      expect(found.lastUsedAt).toEqual(clock.now());
    });
  });
});
