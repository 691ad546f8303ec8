import { normalizeUserId } from '@app/contracts';
import { DataSource } from 'typeorm';
import { randomId } from '@app/testing';
import { AdminUserAccess } from '@app/auth/admin-users/admin-user-access.service';
import {
  LOCK_DURATION_MS,
  LockoutService,
  MAX_CODE_FAILURES,
  MAX_PASSWORD_FAILURES,
} from '@app/auth/lockout/lockout.service';
import { PasswordHasher } from '@app/auth/password/password-hasher';
import { AuthTestApp } from './auth-test-app';

/** AUTH-3 on the real database: the counts, the window, the unlocks, under concurrency. */
describe('Lockout (AUTH-3)', () => {
  let t: AuthTestApp;
  let sut: LockoutService;
  let hasher: PasswordHasher;
  let db: DataSource;

  beforeAll(async () => {
    t = await AuthTestApp.create();
    sut = t.get(LockoutService);
    hasher = t.get(PasswordHasher);
    db = t.dataSource;
  });
  afterAll(async () => t?.close());

  const row = async (key: string) =>
    (
      await db.query(
        `SELECT failures, settled_failures, code_failures, locked_until FROM auth.login_throttle WHERE key = $1`,
        [key],
      )
    )[0];

  /** A login attempt as the login side makes it: reserve, check the hash, settle. */
  async function attempt(
    key: string,
    passwordHash: string | null,
    password: string,
  ): Promise<'ok' | 'wrong' | 'locked'> {
    const reservation = await sut.reserveAttempt(key);
    if (!reservation.allowed) {
      return 'locked';
    }
    if (await hasher.verify(passwordHash, password)) {
      await sut.recordSuccess(key);
      return 'ok';
    }
    await sut.recordFailure(key);
    return 'wrong';
  }

  it('lets at most 5 of 100 concurrent wrong passwords be evaluated; the count stops at 5 and the ID is locked', async () => {
    const user = await t.newUser();
    const hash = user.entity.passwordHash;
    const locks: boolean[] = [];
    const outcomes = await Promise.all(
      Array.from({ length: 100 }, async () => {
        const reservation = await sut.reserveAttempt(user.userIdKey);
        if (!reservation.allowed) {
          expect(reservation.retryAfterSeconds).toBeGreaterThan(0);
          expect(reservation.retryAfterSeconds).toBeLessThanOrEqual(LOCK_DURATION_MS / 1000);
          return 'refused';
        }
        expect(await hasher.verify(hash, 'wrong-password')).toBe(false);
        locks.push(await sut.recordFailure(user.userIdKey));
        return 'evaluated';
      }),
    );
    expect(outcomes.filter((o) => o === 'evaluated')).toHaveLength(MAX_PASSWORD_FAILURES);
    // Exactly one failure reports the lock (one locked_out event).
    expect(locks.filter(Boolean)).toHaveLength(1);
    expect(await row(user.userIdKey)).toMatchObject({ failures: 5, settled_failures: 5 });
    expect(await sut.lockedFor(user.userIdKey)).toBe(LOCK_DURATION_MS / 1000);
    // While locked, even the right password is refused and nothing adds up.
    expect(await attempt(user.userIdKey, hash, user.password!)).toBe('locked');
    expect(await row(user.userIdKey)).toMatchObject({ failures: 5, settled_failures: 5 });
  });

  it('treats an unknown ID exactly like a known one, with one count for all its variants', async () => {
    const raw = `Nobody-${randomId()}@Example.test`;
    const variants = [raw, `  ${raw.toUpperCase()} `, raw.toLowerCase()];
    const outcomes = await Promise.all(
      Array.from({ length: 30 }, (_, i) => attempt(normalizeUserId(variants[i % 3]), null, 'whatever-1A!')),
    );
    expect(outcomes.filter((o) => o === 'wrong')).toHaveLength(5);
    expect(outcomes.filter((o) => o === 'locked')).toHaveLength(25);
    expect(await sut.lockedFor(normalizeUserId(raw))).toBe(1200);
  });

  it('unlocks by itself after exactly 20 minutes, with a fresh count of 5', async () => {
    const user = await t.newUser();
    const hash = user.entity.passwordHash;
    for (let i = 0; i < 5; i++) {
      expect(await attempt(user.userIdKey, hash, 'Wrong-pass-123')).toBe('wrong');
    }
    expect(await sut.reserveAttempt(user.userIdKey)).toEqual({ allowed: false, retryAfterSeconds: 1200 });

    t.clock.advance(LOCK_DURATION_MS - 1000); // 19:59
    expect(await sut.reserveAttempt(user.userIdKey)).toEqual({ allowed: false, retryAfterSeconds: 1 });
    expect(await sut.lockedFor(user.userIdKey)).toBe(1);

    t.clock.advance(1000); // 20:00
    expect(await sut.lockedFor(user.userIdKey)).toBeNull();
    // A fresh count of 5: four wrong, then the right one still works…
    for (let i = 0; i < 4; i++) {
      expect(await attempt(user.userIdKey, hash, 'Wrong-pass-123')).toBe('wrong');
    }
    expect(await attempt(user.userIdKey, hash, user.password!)).toBe('ok');
    expect(await row(user.userIdKey)).toMatchObject({ failures: 0, locked_until: null });
    // …and after a success, 5 more wrong ones are needed to lock again.
    for (let i = 0; i < 5; i++) {
      expect(await attempt(user.userIdKey, hash, 'Wrong-pass-123')).toBe('wrong');
    }
    expect(await attempt(user.userIdKey, hash, user.password!)).toBe('locked');
  });

  it('resets the count on success, so failures must be consecutive', async () => {
    const user = await t.newUser();
    const hash = user.entity.passwordHash;
    for (let round = 0; round < 3; round++) {
      for (let i = 0; i < 4; i++) {
        expect(await attempt(user.userIdKey, hash, 'Wrong-pass-123')).toBe('wrong');
      }
      expect(await attempt(user.userIdKey, hash, user.password!)).toBe('ok');
    }
    expect(await sut.lockedFor(user.userIdKey)).toBeNull();
  });

  it('lets an admin of the user’s tenant unlock at once, and audits it', async () => {
    const tenant = await t.newTenant();
    const admin = await t.newUser({ tenant, role: 'admin' });
    const user = await t.newUser({ tenant });
    for (let i = 0; i < 5; i++) {
      await attempt(user.userIdKey, user.entity.passwordHash, 'Wrong-pass-123');
    }
    expect(await sut.lockedFor(user.userIdKey)).toBe(1200);

    await t.get(AdminUserAccess).unlock(await t.signedIn(admin), user.id);

    expect(await sut.lockedFor(user.userIdKey)).toBeNull();
    expect(await attempt(user.userIdKey, user.entity.passwordHash, user.password!)).toBe('ok');
    const [event] = await t.auditEvents({ type: 'auth.account.unlocked', targetId: user.id });
    expect(event).toMatchObject({
      actor: { userId: admin.id, tenant: tenant.number },
      outcome: 'success',
      tenants: [tenant.number],
    });
  });

  it('locks after 10 consecutive wrong codes, reporting it once; while locked codes do not add up', async () => {
    const key = normalizeUserId(`code-${randomId()}`);
    const results = await Promise.all(Array.from({ length: 25 }, () => sut.recordCodeFailure(key)));
    expect(results.filter(Boolean)).toHaveLength(1);
    expect(await row(key)).toMatchObject({ code_failures: MAX_CODE_FAILURES });
    expect(await sut.lockedFor(key)).toBe(1200);
    expect(await sut.reserveAttempt(key)).toMatchObject({ allowed: false });
    // A right password does not lift a lock earned by wrong codes.
    await sut.recordSuccess(key);
    expect(await sut.lockedFor(key)).toBe(1200);
    t.clock.advance(LOCK_DURATION_MS);
    expect(await sut.lockedFor(key)).toBeNull();
    expect(await sut.recordCodeFailure(key)).toBe(false);
    expect(await row(key)).toMatchObject({ code_failures: 1 });
  });

  it('forgets wrong codes after a right one', async () => {
    const key = normalizeUserId(`code-${randomId()}`);
    for (let i = 0; i < 9; i++) {
      expect(await sut.recordCodeFailure(key)).toBe(false);
    }
    await sut.recordCodeSuccess(key);
    for (let i = 0; i < 9; i++) {
      expect(await sut.recordCodeFailure(key)).toBe(false);
    }
    expect(await sut.lockedFor(key)).toBeNull();
    expect(await sut.recordCodeFailure(key)).toBe(true);
  });

  it('does not hand out a 6th try when a reserved try is never settled, and heals after 20 minutes', async () => {
    const key = normalizeUserId(`crash-${randomId()}`);
    for (let i = 0; i < 5; i++) {
      expect(await sut.reserveAttempt(key)).toEqual({ allowed: true });
    }
    // The 5 checks are still running (or their process died): the 6th waits.
    expect(await sut.reserveAttempt(key)).toEqual({ allowed: false, retryAfterSeconds: 1200 });
    t.clock.advance(LOCK_DURATION_MS);
    expect(await sut.reserveAttempt(key)).toEqual({ allowed: true });
  });
});
