import { EntityManager } from 'typeorm';
import { Clock } from '@app/config';
import { ErrorCode, NotificationJob } from '@app/contracts';
import { OutboxWriter } from '@app/database';
import { FakeClock, MockOf, newTestService } from '@app/testing';
import { AuditFacts } from '../users/audit-facts';
import { LoginAccount } from '../users/login-account';
import { User } from '../users/user.entity';
import { UserNotices } from '../users/user-notices';
import { CredentialRefusal } from './credential-refusal';
import { LockoutRepository } from './lockout.repository';
import { LOCK_DURATION_MS, LockoutService } from './lockout.service';

describe(CredentialRefusal.name, () => {
  const clock = new FakeClock(new Date('2026-01-01T00:00:00Z'));
  const manager = {} as EntityManager;
  const alice: LoginAccount = {
    user: { id: 'u1', userIdKey: 'alice' } as User,
    memberships: [
      { tenantNumber: 'N1', tenantName: 'One', role: 'user', mfaAlways: false },
      { tenantNumber: 'N2', tenantName: 'Two', role: 'admin', mfaAlways: false },
    ],
  };
  let sut: CredentialRefusal;
  let lockout: MockOf<LockoutService>;
  let outbox: { record: jest.Mock };
  let notices: MockOf<UserNotices>;

  beforeEach(async () => {
    outbox = { record: jest.fn() };
    const t = await newTestService(CredentialRefusal, [
      { provide: Clock, useValue: clock },
      // The real helper over a mocked writer: the stored fact's fields are what is checked.
      { provide: AuditFacts, useValue: new AuditFacts(outbox as unknown as OutboxWriter) },
    ]);
    sut = t.sut;
    t.mock(LockoutRepository).transaction.mockImplementation(async (work) => work(manager));
    lockout = t.mock(LockoutService);
    notices = t.mock(UserNotices);
    notices.notice.mockReturnValue({ template: 'account-locked' } as unknown as NotificationJob);
  });

  describe('refuse', () => {
    it('settles the try as a failure with its fact, and answers `invalid_credentials`', async () => {
      lockout.recordFailure.mockResolvedValue(false);
      await expect(
        sut.refuse('alice', alice, { type: 'auth.login.failed', reasons: ['bad_password'], tenant: 'N1' }),
      ).rejects.toMatchObject({ code: ErrorCode.InvalidCredentials });
      expect(lockout.recordFailure).toHaveBeenCalledWith('alice', manager);
      expect(outbox.record).toHaveBeenCalledTimes(1);
      expect(outbox.record).toHaveBeenCalledWith(manager, {
        type: 'auth.login.failed',
        actor: { userId: 'u1', tenant: 'N1' },
        outcome: 'failure',
        reasons: ['bad_password'],
        tenants: ['N1', 'N2'],
      });
      expect(notices.send).not.toHaveBeenCalled();
    });

    it('records the lock and tells the owner until when, when this failure locked the ID (NOTIF-3)', async () => {
      lockout.recordFailure.mockResolvedValue(true);
      await expect(
        sut.refuse('alice', alice, {
          type: 'auth.login.failed',
          reasons: ['bad_password'],
          lockReasons: ['x'],
        }),
      ).rejects.toMatchObject({ code: ErrorCode.InvalidCredentials });
      expect(outbox.record).toHaveBeenLastCalledWith(manager, {
        type: 'auth.login.locked_out',
        actor: { userId: 'u1' },
        outcome: 'denied',
        reasons: ['password_failures', 'x'],
        tenants: ['N1', 'N2'],
      });
      const until = new Date(clock.now().getTime() + LOCK_DURATION_MS).toISOString();
      expect(notices.notice).toHaveBeenCalledWith(alice, 'account-locked', { until });
      expect(notices.send).toHaveBeenCalled();
    });

    it('has no one to tell when an unknown ID locks, and answers the same', async () => {
      lockout.recordFailure.mockResolvedValue(true);
      await expect(
        sut.refuse('nobody', null, { type: 'auth.login.failed', reasons: [] }),
      ).rejects.toMatchObject({
        code: ErrorCode.InvalidCredentials,
      });
      expect(outbox.record).toHaveBeenCalledWith(
        manager,
        expect.objectContaining({ actor: {}, tenants: [] }),
      );
      expect(notices.send).not.toHaveBeenCalled();
    });
  });

  describe('refuseLocked', () => {
    it('records the refusal with the entry point and answers `account_locked` with the wait', async () => {
      await expect(
        sut.refuseLocked(alice, 90, { tenant: 'N2', reasons: ['password_change'] }),
      ).rejects.toMatchObject({ code: ErrorCode.AccountLocked, details: { retryAfter: 90 } });
      expect(outbox.record).toHaveBeenCalledWith(manager, {
        type: 'auth.login.refused_locked',
        actor: { userId: 'u1', tenant: 'N2' },
        outcome: 'denied',
        reasons: ['account_locked', 'password_change'],
        tenants: ['N1', 'N2'],
      });
      expect(lockout.recordFailure).not.toHaveBeenCalled();
    });
  });
});
