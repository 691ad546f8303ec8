import { EntityManager } from 'typeorm';
import { DomainError, ErrorCode, NotificationJob, Principal } from '@app/contracts';
import { MockOf, newTestService } from '@app/testing';
import { StepUpService } from '../flows/step-up.service';
import { AuditFacts } from '../users/audit-facts';
import { recordedFacts } from '../users/audit-facts.fake';
import { LoginAccount } from '../users/login-account';
import { LoginAccountRepository } from '../users/login-account.repository';
import { User } from '../users/user.entity';
import { UserNotices } from '../users/user-notices';
import { Passkey } from './passkey.entity';
import { PasskeyManagementService } from './passkey-management.service';
import { PasskeyRepository } from './passkey.repository';

describe(PasskeyManagementService.name, () => {
  const manager = {} as EntityManager;
  const caller = { id: 'u1', tenant: 'N1' } as Principal;
  const alice: LoginAccount = { user: { id: 'u1' } as User, memberships: [] };
  const passkey = {
    id: 'p1',
    name: 'Phone',
    transports: [],
    createdAt: new Date('2026-01-01T00:00:00Z'),
    lastUsedAt: null,
  } as unknown as Passkey;
  let sut: PasskeyManagementService;
  let passkeys: MockOf<PasskeyRepository>;
  let stepUp: MockOf<StepUpService>;
  let notices: MockOf<UserNotices>;
  let auditFacts: MockOf<AuditFacts>;
  let facts: { record: jest.Mock };

  beforeEach(async () => {
    const t = await newTestService(PasskeyManagementService);
    sut = t.sut;
    passkeys = t.mock(PasskeyRepository);
    passkeys.transaction.mockImplementation(async (work) => work(manager));
    t.mock(LoginAccountRepository).ofCaller.mockResolvedValue(alice);
    stepUp = t.mock(StepUpService);
    notices = t.mock(UserNotices);
    notices.notice.mockReturnValue({ template: 'mfa-changed' } as unknown as NotificationJob);
    ({ auditFacts, facts } = recordedFacts(t));
  });

  it('lists nothing to a request without a caller', async () => {
    await expect(sut.list(undefined)).rejects.toMatchObject({ code: ErrorCode.Unauthorized });
    expect(passkeys.listFor).not.toHaveBeenCalled();
  });

  describe('rename', () => {
    it('asks for a fresh second step first (AUTH-12)', async () => {
      stepUp.require.mockRejectedValue(new DomainError(ErrorCode.StepUpRequired));
      await expect(sut.rename(caller, 'p1', 'Laptop')).rejects.toMatchObject({
        code: ErrorCode.StepUpRequired,
      });
      expect(stepUp.require).toHaveBeenCalledWith(caller, 'passkey.rename');
      expect(passkeys.rename).not.toHaveBeenCalled();
    });

    it('answers not_found for a passkey the caller does not own, recording nothing', async () => {
      passkeys.rename.mockResolvedValue(null);
      await expect(sut.rename(caller, 'p2', 'Laptop')).rejects.toMatchObject({
        code: ErrorCode.NotFound,
      });
      expect(facts.record).not.toHaveBeenCalled();
    });

    it('renames under the trimmed name and records only the id, never the name', async () => {
      passkeys.rename.mockResolvedValue({ ...passkey, name: 'Laptop' } as Passkey);
      const view = await sut.rename(caller, 'p1', ' Laptop ');
      expect(passkeys.rename).toHaveBeenCalledWith(manager, 'u1', 'p1', 'Laptop');
      expect(auditFacts.of).toHaveBeenCalledWith(alice, 'N1');
      expect(facts.record).toHaveBeenCalledWith(manager, {
        type: 'auth.passkey.renamed',
        target: { type: 'passkey', id: 'p1' },
        outcome: 'success',
      });
      expect(view.name).toBe('Laptop');
    });
  });

  describe('remove', () => {
    it('answers not_found for a passkey the caller does not own and tells no one', async () => {
      passkeys.remove.mockResolvedValue(false);
      await expect(sut.remove(caller, 'p2')).rejects.toMatchObject({ code: ErrorCode.NotFound });
      expect(facts.record).not.toHaveBeenCalled();
      expect(notices.send).not.toHaveBeenCalled();
    });

    it('records the deletion and tells the owner after it committed (NOTIF-3)', async () => {
      passkeys.remove.mockResolvedValue(true);
      await sut.remove(caller, 'p1');
      expect(stepUp.require).toHaveBeenCalledWith(caller, 'passkey.delete');
      expect(facts.record).toHaveBeenCalledWith(manager, {
        type: 'auth.passkey.deleted',
        target: { type: 'passkey', id: 'p1' },
        outcome: 'success',
      });
      expect(notices.notice).toHaveBeenCalledWith(alice, 'mfa-changed', {
        change: 'passkey_removed',
      });
      expect(notices.send).toHaveBeenCalledWith({ template: 'mfa-changed' });
    });
  });
});
