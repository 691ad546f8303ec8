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
  let outbox: { record: jest.Mock; recordAll: jest.Mock };
  /** Whether the statement finds that the failure locked the ID (the condition of the lock's fact). */
  let locks: boolean;
  const standalone = { standalone: true } as unknown as EntityManager;
  const settle = { sql: 'UPDATE auth.login_throttle …', params: [], name: 'settled' };
  let notices: MockOf<UserNotices>;

  beforeEach(async () => {
    locks = false;
    outbox = {
      record: jest.fn(),
      // As PostgreSQL would: a fact under a condition is written only when the condition holds.
      recordAll: jest.fn(async (_m, events: unknown[], _changes, onlyIf: (string | undefined)[] = []) =>
        events.filter((_, i) => onlyIf[i] === undefined || locks),
      ),
    };
    const t = await newTestService(CredentialRefusal, [
      { provide: Clock, useValue: clock },
      // The real helper over a mocked writer: the stored fact's fields are what is checked.
      { provide: AuditFacts, useValue: new AuditFacts(outbox as unknown as OutboxWriter) },
    ]);
    sut = t.sut;
    const throttle = t.mock(LockoutRepository);
    throttle.transaction.mockImplementation(async (work) => work(manager));
    Object.assign(throttle, { standalone });
    lockout = t.mock(LockoutService);
    lockout.failure.mockReturnValue({ statement: settle, lockedNow: 'EXISTS (… locks)' });
    notices = t.mock(UserNotices);
    notices.notice.mockReturnValue({ template: 'account-locked' } as unknown as NotificationJob);
  });

  describe('refuse', () => {
    it('settles the try as a failure with its fact in one statement, and answers `invalid_credentials`', async () => {
      await expect(
        sut.refuse('alice', alice, { type: 'auth.login.failed', reasons: ['bad_password'], tenant: 'N1' }),
      ).rejects.toMatchObject({ code: ErrorCode.InvalidCredentials });
      expect(lockout.failure).toHaveBeenCalledWith('alice');
      expect(outbox.recordAll).toHaveBeenCalledTimes(1);
      const [m, events, changes, onlyIf] = outbox.recordAll.mock.calls[0];
      expect(m).toBe(standalone);
      expect(changes).toEqual([settle]);
      expect(events[0]).toEqual({
        type: 'auth.login.failed',
        actor: { userId: 'u1', tenant: 'N1' },
        outcome: 'failure',
        reasons: ['bad_password'],
        tenants: ['N1', 'N2'],
      });
      // The lock's fact is in the statement, under the condition that this failure locked the ID.
      expect(events[1]).toMatchObject({ type: 'auth.login.locked_out' });
      expect(onlyIf).toEqual([undefined, 'EXISTS (… locks)']);
      expect(notices.send).not.toHaveBeenCalled();
    });

    it('records the lock and tells the owner until when, when this failure locked the ID (NOTIF-3)', async () => {
      locks = true;
      await expect(
        sut.refuse('alice', alice, {
          type: 'auth.login.failed',
          reasons: ['bad_password'],
          lockReasons: ['x'],
        }),
      ).rejects.toMatchObject({ code: ErrorCode.InvalidCredentials });
      expect(outbox.recordAll.mock.calls[0][1][1]).toEqual({
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
      locks = true;
      await expect(
        sut.refuse('nobody', null, { type: 'auth.login.failed', reasons: [] }),
      ).rejects.toMatchObject({
        code: ErrorCode.InvalidCredentials,
      });
      expect(outbox.recordAll.mock.calls[0][1][0]).toMatchObject({ actor: {}, tenants: [] });
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
