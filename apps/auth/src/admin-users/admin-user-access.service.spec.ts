import { Clock } from '@app/config';
import { ErrorCode } from '@app/contracts';
import { FakeClock, MockOf, newTestService } from '@app/testing';
import { LockoutService } from '../lockout/lockout.service';
import { SessionsService } from '../sessions/sessions.service';
import { CallerVerifier } from '../users/caller-verifier';
import { AdminMemberChange } from './admin-member-change';
import { ADMIN, FakeStep, memberOf, runChangesOn } from './admin-member-step.fake';
import { AdminMembersRepository } from './admin-members.repository';
import { AdminUserAccess } from './admin-user-access.service';

describe(AdminUserAccess.name, () => {
  const clock = new FakeClock(new Date('2026-01-01T00:00:00Z'));
  let sut: AdminUserAccess;
  let change: MockOf<AdminMemberChange>;
  let members: MockOf<AdminMembersRepository>;
  let sessions: MockOf<SessionsService>;
  let lockout: MockOf<LockoutService>;

  beforeEach(async () => {
    const t = await newTestService(AdminUserAccess, [{ provide: Clock, useValue: clock }]);
    sut = t.sut;
    t.mock(CallerVerifier).tenantAdmin.mockResolvedValue(ADMIN);
    change = t.mock(AdminMemberChange);
    members = t.mock(AdminMembersRepository);
    sessions = t.mock(SessionsService);
    lockout = t.mock(LockoutService);
  });

  describe('disable', () => {
    it('refuses to disable the admin’s own login, before asking for step-up', async () => {
      await expect(sut.disable(ADMIN.principal, ADMIN.principal.id)).rejects.toMatchObject({
        code: ErrorCode.Conflict,
        details: { reason: 'own_login' },
      });
      expect(change.run).not.toHaveBeenCalled();
    });

    it('disables the login account-wide, audits it and ends every session in the same transaction', async () => {
      const step: FakeStep = runChangesOn(change, memberOf({ loginDisabled: false }));
      await sut.disable(ADMIN.principal, 'u1');
      expect(change.run).toHaveBeenCalledWith(ADMIN, 'admin.user.disable', 'u1', expect.any(Function));
      expect(step.requireWholeAccount).toHaveBeenCalled();
      expect(members.updateUser).toHaveBeenCalledWith(step.manager, 'u1', {
        loginDisabled: true,
        updatedAt: clock.now(),
      });
      expect(step.audit).toHaveBeenCalledWith('auth.user.login_disabled', ['admin_disable']);
      expect(sessions.revokeAllForUser).toHaveBeenCalledWith('u1', 'login_disabled', step.manager);
    });

    it('ends the sessions of an already disabled user without a second fact', async () => {
      const step = runChangesOn(change, memberOf({ loginDisabled: true }));
      await sut.disable(ADMIN.principal, 'u1');
      expect(members.updateUser).not.toHaveBeenCalled();
      expect(step.audit).not.toHaveBeenCalled();
      expect(sessions.revokeAllForUser).toHaveBeenCalledWith('u1', 'login_disabled', step.manager);
    });

    it('does nothing to a user shared with a tenant the admin does not administer', async () => {
      const step = runChangesOn(change, memberOf({ loginDisabled: false }));
      step.requireWholeAccount.mockRejectedValue(new Error('account_shared'));
      await expect(sut.disable(ADMIN.principal, 'u1')).rejects.toThrow('account_shared');
      expect(members.updateUser).not.toHaveBeenCalled();
      expect(sessions.revokeAllForUser).not.toHaveBeenCalled();
    });
  });

  describe('enable', () => {
    it('lets a disabled user in again, account-wide, and audits it', async () => {
      const step = runChangesOn(change, memberOf({ loginDisabled: true }));
      await sut.enable(ADMIN.principal, 'u1');
      expect(step.requireWholeAccount).toHaveBeenCalled();
      expect(members.updateUser).toHaveBeenCalledWith(step.manager, 'u1', {
        loginDisabled: false,
        updatedAt: clock.now(),
      });
      expect(step.audit).toHaveBeenCalledWith('auth.user.login_enabled', ['admin_enable']);
    });

    it('records nothing for a user who could log in already', async () => {
      const step = runChangesOn(change, memberOf({ loginDisabled: false }));
      await sut.enable(ADMIN.principal, 'u1');
      expect(members.updateUser).not.toHaveBeenCalled();
      expect(step.audit).not.toHaveBeenCalled();
    });
  });

  describe('unlock', () => {
    it('unlocks the login ID in the change’s transaction and audits it, for a shared user too', async () => {
      const step = runChangesOn(change, memberOf({ userIdKey: 'bob' }));
      await sut.unlock(ADMIN.principal, 'u1');
      expect(change.run).toHaveBeenCalledWith(ADMIN, 'admin.user.unlock', 'u1', expect.any(Function));
      expect(lockout.unlock).toHaveBeenCalledWith('bob', step.manager);
      expect(step.audit).toHaveBeenCalledWith('auth.account.unlocked', ['admin_unlock']);
      expect(step.requireWholeAccount).not.toHaveBeenCalled();
    });
  });
});
