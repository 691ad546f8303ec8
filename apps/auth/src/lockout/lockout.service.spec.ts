import { EntityManager } from 'typeorm';
import { Clock } from '@app/config';
import { FakeClock, MockOf, newTestService } from '@app/testing';
import { LockoutRepository } from './lockout.repository';
import {
  LOCK_DURATION_MS,
  LockoutService,
  MAX_CODE_FAILURES,
  MAX_PASSWORD_FAILURES,
} from './lockout.service';

describe(LockoutService.name, () => {
  const clock = new FakeClock(new Date('2026-01-01T00:00:00Z'));
  const manager = {} as EntityManager;
  const later = (ms: number) => new Date(clock.now().getTime() + ms);
  let sut: LockoutService;
  let throttle: MockOf<LockoutRepository>;

  beforeEach(async () => {
    const t = await newTestService(LockoutService, [{ provide: Clock, useValue: clock }]);
    sut = t.sut;
    throttle = t.mock(LockoutRepository);
    throttle.lockedUntil.mockResolvedValue(null);
  });

  describe('reserveAttempt', () => {
    it('reserves a try in a window of 5 failures that locks for 20 minutes from now', async () => {
      throttle.reserve.mockResolvedValue(true);
      expect(await sut.reserveAttempt('alice')).toEqual({ allowed: true });
      expect(throttle.reserve).toHaveBeenCalledWith('alice', {
        now: clock.now(),
        lockUntil: later(LOCK_DURATION_MS),
        max: MAX_PASSWORD_FAILURES,
      });
      expect(throttle.lockedUntil).not.toHaveBeenCalled();
    });

    it('refuses with the seconds until unlock, rounded up so the client is never early', async () => {
      throttle.reserve.mockResolvedValue(false);
      throttle.lockedUntil.mockResolvedValue(later(90_001));
      expect(await sut.reserveAttempt('alice')).toEqual({ allowed: false, retryAfterSeconds: 91 });
    });

    it('says "at once" when the lock was cleared between the refusal and the read', async () => {
      throttle.reserve.mockResolvedValue(false);
      expect(await sut.reserveAttempt('alice')).toEqual({ allowed: false, retryAfterSeconds: 1 });
    });
  });

  describe('recordFailure', () => {
    it.each([
      [null, false],
      [MAX_PASSWORD_FAILURES - 1, false],
      [MAX_PASSWORD_FAILURES, true],
    ])('with %p settled failures answers locked = %p', async (settled, locked) => {
      throttle.settleFailure.mockResolvedValue(settled);
      expect(await sut.recordFailure('alice', manager)).toBe(locked);
      expect(throttle.settleFailure).toHaveBeenCalledWith(
        'alice',
        { now: clock.now(), lockUntil: later(LOCK_DURATION_MS), max: MAX_PASSWORD_FAILURES },
        manager,
      );
    });
  });

  describe('recordCodeFailure', () => {
    it.each([
      [null, false],
      [MAX_CODE_FAILURES - 1, false],
      [MAX_CODE_FAILURES, true],
    ])('with %p wrong codes in a row answers locked = %p (AUTH-6)', async (count, locked) => {
      throttle.countCodeFailure.mockResolvedValue(count);
      expect(await sut.recordCodeFailure('alice')).toBe(locked);
      expect(throttle.countCodeFailure).toHaveBeenCalledWith(
        'alice',
        { now: clock.now(), lockUntil: later(LOCK_DURATION_MS), max: MAX_CODE_FAILURES },
        undefined,
      );
    });
  });

  describe('holdForCodeCheck', () => {
    it('answers the seconds left of a lock in force', async () => {
      throttle.hold.mockResolvedValue(later(1_000));
      expect(await sut.holdForCodeCheck(manager, 'alice')).toBe(1);
      expect(throttle.hold).toHaveBeenCalledWith(manager, 'alice');
    });

    it.each([
      ['no lock', null],
      ['an expired lock', later(-1)],
      ['a lock ending now', later(0)],
    ])('answers null for %s', async (_what, until) => {
      throttle.hold.mockResolvedValue(until);
      expect(await sut.holdForCodeCheck(manager, 'alice')).toBeNull();
    });
  });

  it('lifts the password lock unless wrong codes hold it', async () => {
    throttle.successStatement.mockReturnValue({ sql: 'UPDATE …', params: [] });
    await sut.recordSuccess('alice', manager);
    expect(throttle.successStatement).toHaveBeenCalledWith('alice', MAX_CODE_FAILURES);
    expect(throttle.run).toHaveBeenCalledWith({ sql: 'UPDATE …', params: [] }, manager);
  });

  it('asks nothing for an empty list of keys', async () => {
    expect(await sut.lockedKeys([])).toEqual(new Set());
    expect(throttle.lockedKeys).not.toHaveBeenCalled();
    throttle.lockedKeys.mockResolvedValue(['bob']);
    expect(await sut.lockedKeys(['alice', 'bob'])).toEqual(new Set(['bob']));
    expect(throttle.lockedKeys).toHaveBeenCalledWith(['alice', 'bob'], clock.now());
  });

  describe('a row the caller holds (the second step’s read)', () => {
    it.each([
      ['no lock', null, null],
      ['an expired lock', later(-1), null],
      ['a lock at its end', clock.now(), null],
      ['an active lock', later(90_001), 91],
    ])('answers %s as locked for %p seconds', (_name, lockedUntil, seconds) => {
      expect(sut.lockedForHeld({ lockedUntil, codeFailures: 3 })).toBe(seconds);
    });

    it.each([
      ['counts on from the held count', null, MAX_CODE_FAILURES - 2, false],
      ['locks with the 10th wrong code in a row', null, MAX_CODE_FAILURES - 1, true],
      ['starts a fresh cycle after an expired lock', later(-1), MAX_CODE_FAILURES - 1, false],
    ])('%s', (_name, lockedUntil, codeFailures, locks) => {
      throttle.codeFailureStatement.mockReturnValue({ sql: 'count', params: [] });
      expect(sut.codeFailure('alice', { lockedUntil, codeFailures })).toEqual({
        statement: { sql: 'count', params: [] },
        locks,
      });
      expect(throttle.codeFailureStatement).toHaveBeenCalledWith('alice', {
        now: clock.now(),
        lockUntil: later(LOCK_DURATION_MS),
        max: MAX_CODE_FAILURES,
      });
    });
  });
});
