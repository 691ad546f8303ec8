import { Clock } from '@app/config';
import { ErrorCode, NotificationJob } from '@app/contracts';
import { FakeClock, MockOf, newTestService } from '@app/testing';
import { SmsSwitchOff } from '../me/sms-switch-off.service';
import { CallerVerifier } from '../users/caller-verifier';
import { LoginAccount } from '../users/login-account';
import { UserNotices } from '../users/user-notices';
import { UsersService } from '../users/users.service';
import { AdminMemberChange } from './admin-member-change';
import { ADMIN, memberOf, runChangesOn } from './admin-member-step.fake';
import { AdminMembersRepository } from './admin-members.repository';
import { AdminUserEdits } from './admin-user-edits.service';

describe(AdminUserEdits.name, () => {
  const clock = new FakeClock(new Date('2026-01-01T00:00:00Z'));
  let sut: AdminUserEdits;
  let change: MockOf<AdminMemberChange>;
  let members: MockOf<AdminMembersRepository>;
  let users: MockOf<UsersService>;
  let notices: MockOf<UserNotices>;
  let smsSwitchOff: MockOf<SmsSwitchOff>;

  beforeEach(async () => {
    const t = await newTestService(AdminUserEdits, [{ provide: Clock, useValue: clock }]);
    sut = t.sut;
    t.mock(CallerVerifier).tenantAdmin.mockResolvedValue(ADMIN);
    change = t.mock(AdminMemberChange);
    members = t.mock(AdminMembersRepository);
    users = t.mock(UsersService);
    notices = t.mock(UserNotices);
    smsSwitchOff = t.mock(SmsSwitchOff);
  });

  describe('update', () => {
    it('refuses an admin’s own demotion before asking for step-up', async () => {
      await expect(sut.update(ADMIN.principal, ADMIN.principal.id, { admin: false })).rejects.toMatchObject({
        code: ErrorCode.Conflict,
        details: { reason: 'own_admin_role' },
      });
      expect(change.run).not.toHaveBeenCalled();
    });

    it('refuses a blank family name before asking for step-up', async () => {
      await expect(sut.update(ADMIN.principal, 'u1', { familyName: '  ' })).rejects.toMatchObject({
        code: ErrorCode.ValidationFailed,
      });
      expect(change.run).not.toHaveBeenCalled();
    });

    it('changes profile columns without asking whether the account is shared', async () => {
      const step = runChangesOn(change, memberOf({ familyName: 'Old', title: null }));
      await sut.update(ADMIN.principal, 'u1', { familyName: ' New ', title: ' Lead ' });
      expect(step.requireWholeAccount).not.toHaveBeenCalled();
      expect(members.updateUser).toHaveBeenCalledWith(step.manager, 'u1', {
        familyName: 'New',
        title: 'Lead',
        updatedAt: clock.now(),
      });
      expect(step.audit).toHaveBeenCalledWith('auth.user.updated', ['familyName', 'title']);
    });

    it('records nothing when every given field already has its value', async () => {
      const step = runChangesOn(change, memberOf({ familyName: 'Same' }));
      await sut.update(ADMIN.principal, 'u1', { familyName: 'Same', admin: false });
      expect(members.updateUser).not.toHaveBeenCalled();
      expect(members.updateMembership).not.toHaveBeenCalled();
      expect(step.audit).not.toHaveBeenCalled();
    });

    it('changes the role in this tenant only, with the reason `admin`', async () => {
      const step = runChangesOn(change, memberOf({}, 'user'));
      await sut.update(ADMIN.principal, 'u1', { admin: true });
      expect(members.updateMembership).toHaveBeenCalledWith(step.manager, 'u1', 'N1', { role: 'admin' });
      expect(step.audit).toHaveBeenCalledWith('auth.user.updated', ['admin']);
    });

    it('needs the whole account for a new e-mail, clears its bounce mark and tells the old address', async () => {
      const account = { user: { id: 'u1' }, memberships: [] } as unknown as LoginAccount;
      const job = { template: 'contact-changed' } as unknown as NotificationJob;
      const step = runChangesOn(change, memberOf({ email: 'old@example.com', emailUndeliverable: true }));
      users.findAccountById.mockResolvedValue(account);
      notices.contactChanged.mockReturnValue(job);
      await sut.update(ADMIN.principal, 'u1', { email: ' new@example.com ' });
      expect(step.requireWholeAccount).toHaveBeenCalled();
      expect(members.updateUser).toHaveBeenCalledWith(step.manager, 'u1', {
        email: 'new@example.com',
        emailUndeliverable: false,
        updatedAt: clock.now(),
      });
      expect(step.audit).toHaveBeenCalledWith('auth.user.updated', ['email']);
      expect(notices.contactChanged).toHaveBeenCalledWith(account, 'email', 'old@example.com');
      expect(notices.send).toHaveBeenCalledWith(null, job);
    });

    it('lifts the SMS switch-off when a phone is registered again (AUTH-19)', async () => {
      const step = runChangesOn(change, memberOf({ phone: null, smsDisabledAt: new Date(0) }));
      await sut.update(ADMIN.principal, 'u1', { phone: '+819012345678' });
      expect(members.updateUser).toHaveBeenCalledWith(step.manager, 'u1', {
        phone: '+819012345678',
        smsDisabledAt: null,
        smsDisabledReason: null,
        updatedAt: clock.now(),
      });
    });

    it('switches SMS codes off when the phone is removed, as the admin’s action (AUTH-19)', async () => {
      const account = { user: { id: 'u1' }, memberships: [] } as unknown as LoginAccount;
      const notice = { template: 'sms-disabled' } as unknown as NotificationJob;
      const step = runChangesOn(change, memberOf({ phone: '+819012345678' }));
      users.findAccountById.mockResolvedValue(account);
      smsSwitchOff.switchOff.mockResolvedValue(notice);
      await sut.update(ADMIN.principal, 'u1', { phone: null });
      expect(smsSwitchOff.switchOff).toHaveBeenCalledWith(step.manager, account, 'phone_removed', {
        userId: 'admin-1',
        tenant: 'N1',
      });
      expect(notices.send).toHaveBeenCalledWith(notice);
    });
  });

  describe('changeUserId', () => {
    it('changes nothing when the ID is the same', async () => {
      const step = runChangesOn(change, memberOf({ userId: 'bob' }));
      await sut.changeUserId(ADMIN.principal, 'u1', 'bob');
      expect(step.requireWholeAccount).not.toHaveBeenCalled();
      expect(members.updateUserId).not.toHaveBeenCalled();
    });

    it('needs the whole account and answers `user_id_taken` when another account holds the ID', async () => {
      const step = runChangesOn(change, memberOf({ userId: 'bob' }));
      members.updateUserId.mockResolvedValue(false);
      await expect(sut.changeUserId(ADMIN.principal, 'u1', 'robert')).rejects.toMatchObject({
        code: ErrorCode.UserIdTaken,
      });
      expect(step.requireWholeAccount).toHaveBeenCalled();
      expect(step.audit).not.toHaveBeenCalled();
    });

    it('records the change with ids only', async () => {
      const step = runChangesOn(change, memberOf({ userId: 'bob' }));
      members.updateUserId.mockResolvedValue(true);
      await sut.changeUserId(ADMIN.principal, 'u1', 'robert');
      expect(members.updateUserId).toHaveBeenCalledWith(step.manager, 'u1', 'robert', clock.now());
      expect(step.audit).toHaveBeenCalledWith('auth.user.user_id_changed', ['admin_change']);
    });
  });

  describe('setNotificationEmail', () => {
    it('sets this tenant’s address for a user wholly in the admin’s care (AUTH-7)', async () => {
      const step = runChangesOn(change, memberOf({}));
      await sut.setNotificationEmail(ADMIN.principal, 'u1', ' desk@example.com ');
      expect(step.requireWholeAccount).toHaveBeenCalled();
      expect(members.updateMembership).toHaveBeenCalledWith(step.manager, 'u1', 'N1', {
        notificationEmail: 'desk@example.com',
      });
      expect(step.audit).toHaveBeenCalledWith('auth.user.notification_email_set', ['set']);
    });

    it('records nothing when the address does not change', async () => {
      const step = runChangesOn(change, memberOf({}));
      await sut.setNotificationEmail(ADMIN.principal, 'u1', null);
      expect(members.updateMembership).not.toHaveBeenCalled();
      expect(step.audit).not.toHaveBeenCalled();
    });
  });

  describe('markEmailDeliverable', () => {
    it('clears the bounce mark once (NOTIF-6)', async () => {
      const step = runChangesOn(change, memberOf({ emailUndeliverable: true }));
      await sut.markEmailDeliverable(ADMIN.principal, 'u1');
      expect(members.updateUser).toHaveBeenCalledWith(step.manager, 'u1', {
        emailUndeliverable: false,
        updatedAt: clock.now(),
      });
      expect(step.audit).toHaveBeenCalledWith('auth.user.email_deliverable', ['admin_cleared']);
      members.updateUser.mockClear();
      runChangesOn(change, memberOf({ emailUndeliverable: false }));
      await sut.markEmailDeliverable(ADMIN.principal, 'u1');
      expect(members.updateUser).not.toHaveBeenCalled();
    });
  });
});
