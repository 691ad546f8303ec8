import { EntityManager } from 'typeorm';
import { Clock } from '@app/config';
import { DomainError, ErrorCode, NotificationJob, Principal } from '@app/contracts';
import { FakeClock, MockOf, newTestService } from '@app/testing';
import { StepUpService } from '../flows/step-up.service';
import { CredentialRefusal } from '../lockout/credential-refusal';
import { LockoutService } from '../lockout/lockout.service';
import { PasswordHasher } from '../password/password-hasher';
import { PasswordPolicy } from '../password/password-policy';
import { SessionsService } from '../sessions/sessions.service';
import { AuditFacts } from '../users/audit-facts';
import { recordedFacts } from '../users/audit-facts.fake';
import { LoginAccount } from '../users/login-account';
import { LoginAccountRepository } from '../users/login-account.repository';
import { User } from '../users/user.entity';
import { UserNotices } from '../users/user-notices';
import { MeRepository } from './me.repository';
import { PasswordChangeService } from './password-change.service';

describe(PasswordChangeService.name, () => {
  const clock = new FakeClock(new Date('2026-01-01T00:00:00Z'));
  const manager = {} as EntityManager;
  const caller = { id: 'u1', tenant: 'N1', sessionId: 's1' } as Principal;
  const alice: LoginAccount = {
    user: { id: 'u1', userIdKey: 'alice', passwordHash: '$old' } as User,
    memberships: [{ tenantNumber: 'N1', tenantName: 'Alpha', role: 'user', mfaAlways: false }],
  };
  const dto = { currentPassword: 'old secret', newPassword: 'new long secret 1' };
  let sut: PasswordChangeService;
  let me: MockOf<MeRepository>;
  let accounts: MockOf<LoginAccountRepository>;
  let stepUp: MockOf<StepUpService>;
  let lockout: MockOf<LockoutService>;
  let hasher: MockOf<PasswordHasher>;
  let policy: MockOf<PasswordPolicy>;
  let sessions: MockOf<SessionsService>;
  let refusal: MockOf<CredentialRefusal>;
  let notices: MockOf<UserNotices>;
  let auditFacts: MockOf<AuditFacts>;
  let facts: { record: jest.Mock };

  beforeEach(async () => {
    const t = await newTestService(PasswordChangeService, [{ provide: Clock, useValue: clock }]);
    sut = t.sut;
    me = t.mock(MeRepository);
    me.transaction.mockImplementation(async (work) => work(manager));
    me.replacePassword.mockResolvedValue(true);
    accounts = t.mock(LoginAccountRepository);
    accounts.findById.mockResolvedValue(alice);
    stepUp = t.mock(StepUpService);
    lockout = t.mock(LockoutService);
    lockout.reserveAttempt.mockResolvedValue({ allowed: true });
    hasher = t.mock(PasswordHasher);
    hasher.verify.mockResolvedValue(true);
    hasher.hash.mockResolvedValue('$new');
    policy = t.mock(PasswordPolicy);
    policy.violations.mockReturnValue([]);
    sessions = t.mock(SessionsService);
    refusal = t.mock(CredentialRefusal);
    refusal.refuse.mockRejectedValue(new DomainError(ErrorCode.InvalidCredentials));
    refusal.refuseLocked.mockRejectedValue(new DomainError(ErrorCode.AccountLocked));
    notices = t.mock(UserNotices);
    notices.notice.mockReturnValue({ template: 'password-changed' } as unknown as NotificationJob);
    ({ auditFacts, facts } = recordedFacts(t));
  });

  it('asks for a fresh second step before anything else (AUTH-12)', async () => {
    stepUp.require.mockRejectedValue(new DomainError(ErrorCode.StepUpRequired));
    await expect(sut.change(caller, dto)).rejects.toMatchObject({ code: ErrorCode.StepUpRequired });
    expect(stepUp.require).toHaveBeenCalledWith(caller, 'password.change');
    expect(lockout.reserveAttempt).not.toHaveBeenCalled();
  });

  it('refuses a caller whose account is gone', async () => {
    accounts.findById.mockResolvedValue(null);
    await expect(sut.change(caller, dto)).rejects.toMatchObject({ code: ErrorCode.SessionEnded });
  });

  it('refuses a new password against the policy without costing a try (AUTH-2, AUTH-3)', async () => {
    policy.violations.mockReturnValue(['min_length']);
    await expect(sut.change(caller, { ...dto, confirmation: 'other' })).rejects.toMatchObject({
      code: ErrorCode.PasswordPolicy,
      details: { violations: ['min_length', 'confirmation_matches'] },
    });
    expect(lockout.reserveAttempt).not.toHaveBeenCalled();
  });

  it('refuses a locked ID without looking at the current password (AUTH-3)', async () => {
    lockout.reserveAttempt.mockResolvedValue({ allowed: false, retryAfterSeconds: 42 });
    await expect(sut.change(caller, dto)).rejects.toMatchObject({ code: ErrorCode.AccountLocked });
    expect(refusal.refuseLocked).toHaveBeenCalledWith(alice, 42, {
      tenant: 'N1',
      reasons: ['password_change'],
    });
    expect(hasher.verify).not.toHaveBeenCalled();
  });

  it('counts a wrong current password as a failed login of this entry point', async () => {
    hasher.verify.mockResolvedValue(false);
    await expect(sut.change(caller, dto)).rejects.toMatchObject({
      code: ErrorCode.InvalidCredentials,
    });
    expect(refusal.refuse).toHaveBeenCalledWith('alice', alice, {
      type: 'auth.login.failed',
      reasons: ['wrong_password', 'password_change'],
      tenant: 'N1',
      lockReasons: ['password_change'],
    });
    expect(me.replacePassword).not.toHaveBeenCalled();
  });

  it('replaces the checked hash, voids what hung on the old password and tells the user', async () => {
    await sut.change(caller, dto);
    expect(lockout.recordSuccess).toHaveBeenCalledWith('alice', manager);
    expect(me.replacePassword).toHaveBeenCalledWith(manager, 'u1', '$old', '$new', clock.now());
    expect(me.voidPasswordDependents).toHaveBeenCalledWith(manager, 'u1', clock.now());
    // The caller's own session goes on.
    expect(sessions.revokeAllForUser).toHaveBeenCalledWith('u1', 'password_changed', manager, 's1');
    expect(auditFacts.of).toHaveBeenCalledWith(alice, 'N1');
    expect(facts.record).toHaveBeenCalledWith(manager, {
      type: 'auth.password.changed',
      target: { type: 'user', id: 'u1' },
      outcome: 'success',
    });
    expect(notices.send).toHaveBeenCalledWith({ template: 'password-changed' });
  });

  it('answers invalid_credentials when the password moved on meanwhile, changing nothing else', async () => {
    me.replacePassword.mockResolvedValue(false);
    await expect(sut.change(caller, dto)).rejects.toMatchObject({
      code: ErrorCode.InvalidCredentials,
    });
    expect(me.voidPasswordDependents).not.toHaveBeenCalled();
    expect(sessions.revokeAllForUser).not.toHaveBeenCalled();
    expect(notices.send).not.toHaveBeenCalled();
  });

  it('settles the try as a success when the change fails after a right password (AUTH-3)', async () => {
    me.transaction.mockRejectedValue(new Error('connection lost'));
    await expect(sut.change(caller, dto)).rejects.toThrow('connection lost');
    expect(lockout.recordSuccess).toHaveBeenCalledWith('alice');
  });
});
