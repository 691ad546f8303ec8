import { randomUUID } from 'node:crypto';
import { Client } from 'pg';
import { SecondFactorRequiredResult } from '@app/contracts';
import { randomId } from '@app/testing';
import { LoginController } from '@app/auth/login-flow/login.controller';
import { SecondStepService } from '@app/auth/login-flow/second-step.service';
import { PasskeyLoginService } from '@app/auth/passkeys/passkey-login.service';
import { PasswordResetService } from '@app/auth/password-reset/password-reset.service';
import { AnonymousRowsPruner, PRUNE_BATCH } from '@app/auth/pruning/anonymous-rows.pruner';
import { AuthTestApp } from './auth-test-app';

const HOUR_MS = 60 * 60 * 1000;

/**
 * Rows that anonymous calls leave behind are pruned on a schedule (a spray of random IDs must not
 * grow tables without bound). In a database of this file's own: pruning on this file's clock must
 * not touch the rows of the run's other files.
 */
describe('Pruning rows left by anonymous calls', () => {
  const dbName = `mamori_prune_${randomUUID().replace(/-/g, '').slice(0, 12)}`;
  const adminUrl = process.env.DATABASE_URL as string;
  const url = (() => {
    const u = new URL(adminUrl);
    u.pathname = `/${dbName}`;
    return u.toString();
  })();
  let t: AuthTestApp;
  let pruner: AnonymousRowsPruner;

  beforeAll(async () => {
    const admin = new Client({ connectionString: adminUrl });
    await admin.connect();
    await admin.query(`CREATE DATABASE ${dbName}`);
    await admin.end();
    t = await AuthTestApp.create({ config: { DATABASE_URL: url } });
    pruner = t.get(AnonymousRowsPruner);
  });
  afterAll(async () => {
    await t?.close();
    const admin = new Client({ connectionString: adminUrl });
    await admin.connect();
    await admin.query(`DROP DATABASE IF EXISTS ${dbName} WITH (FORCE)`);
    await admin.end();
  });

  const count = async (table: string, where = 'true', params: unknown[] = []) =>
    (await t.dataSource.query(`SELECT count(*)::int AS n FROM auth.${table} WHERE ${where}`, params))[0]
      .n as number;
  const login = (userId: string, password: string) =>
    t.call((ctx) => t.get(LoginController).password({ ctx, data: { userId, password } }));

  it('deletes expired locks, stale counts, old challenges, flows with their codes and reset links; keeps what still matters', async () => {
    // What anonymous callers leave: wrong passwords for random IDs, one sprayed until locked,
    // passkey ceremonies never finished, reset requests for IDs that do not exist.
    const sprayed = Array.from({ length: 3 }, () => `spray-${randomId(10)}`);
    for (const id of sprayed) {
      await login(id, 'Wrong-password-1!');
      await t.get(PasswordResetService).request({ userId: id, email: `${id}@example.org` });
    }
    const lockedId = `locked-${randomId(10)}`;
    for (let i = 0; i < 5; i++) {
      await login(lockedId, 'Wrong-password-1!');
    }
    for (const id of [...sprayed, undefined]) {
      await t.get(PasskeyLoginService).options(id === undefined ? {} : { userId: id });
    }
    // And what a real user has: a login flow with a code sent, a reset link, a session.
    const user = await t.newUser({ tenant: await t.newTenant(), mfaRequired: true });
    const first = await login(user.userId, user.password as string);
    const flowId = ((first as { value: SecondFactorRequiredResult }).value as SecondFactorRequiredResult)
      .flowId;
    await t.call((ctx) => t.get(SecondStepService).challenge(flowId, 'email', ctx));
    await t.get(PasswordResetService).request({ userId: user.userId, email: user.email });
    await t.get(PasswordResetService).idle();
    const keys = [...sprayed, lockedId];
    expect(await count('login_throttle', 'key = ANY($1)', [keys])).toBe(4);
    expect(await count('password_reset_guard', 'key = ANY($1)', [sprayed])).toBe(3);
    expect(await count('webauthn_challenge')).toBe(4);
    expect(await count('login_flow', 'id = $1', [flowId])).toBe(1);
    expect(await count('security_code', 'flow_id = $1', [flowId])).toBe(1);
    expect(await count('password_reset_token', 'user_id = $1', [user.id])).toBe(1);

    // Now: everything is still in use or in force (only rows that count nothing may go, such as
    // the user's own lockout row after their right password).
    expect(await pruner.pruneOnce()).toMatchObject({
      webauthnChallenge: 0,
      loginFlow: 0,
      passwordResetToken: 0,
    });
    expect(await count('login_throttle', 'key = ANY($1)', [keys])).toBe(4);
    expect(await count('password_reset_guard', 'key = ANY($1)', [sprayed])).toBe(3);

    // 21 minutes on: the lock has expired, which is the same as no row; the counts stay.
    t.clock.advance(21 * 60 * 1000);
    expect(await pruner.pruneOnce()).toMatchObject({ loginThrottle: 1, loginFlow: 0 });
    expect(await count('login_throttle', 'key = $1', [lockedId])).toBe(0);
    expect(await count('login_throttle', 'key = ANY($1)', [sprayed])).toBe(3);

    // A day and more on: the untouched counts, the spent challenges, the flow with its code and
    // the expired reset link are gone; the user and their tenant are not.
    t.clock.advance(25 * HOUR_MS);
    const late = await pruner.pruneOnce();
    expect(late).toMatchObject({ webauthnChallenge: 4, passwordResetToken: 1 });
    expect(late.loginThrottle).toBeGreaterThanOrEqual(3);
    expect(late.passwordResetGuard).toBeGreaterThanOrEqual(3);
    expect(late.loginFlow).toBeGreaterThanOrEqual(1);
    expect(await count('login_throttle', 'key = ANY($1)', [keys])).toBe(0);
    expect(await count('password_reset_guard', 'key = ANY($1)', [sprayed])).toBe(0);
    expect(await count('webauthn_challenge')).toBe(0);
    expect(await count('login_flow', 'id = $1', [flowId])).toBe(0);
    expect(await count('security_code', 'flow_id = $1', [flowId])).toBe(0);
    expect(await count('password_reset_token', 'user_id = $1', [user.id])).toBe(0);
    expect(await count('app_user', 'id = $1', [user.id])).toBe(1);

    // The forgotten counts start again from nothing, for every ID alike.
    expect(await login(sprayed[0], 'Wrong-password-1!')).toMatchObject({ ok: false, status: 401 });
  });

  it('never deletes a live lock or a recent count, however old the row', async () => {
    const now = t.clock.now();
    const key = `live-${randomId(10)}`;
    const recent = `recent-${randomId(10)}`;
    await t.dataSource.query(
      `INSERT INTO auth.login_throttle (key, failures, settled_failures, code_failures, locked_until, touched_at)
       VALUES ($1, 5, 5, 0, $2, $3), ($4, 2, 2, 0, NULL, $5)`,
      [key, new Date(now.getTime() + 60_000), new Date(now.getTime() - 48 * HOUR_MS), recent, now],
    );
    await pruner.pruneOnce();
    expect(await count('login_throttle', 'key = ANY($1)', [[key, recent]])).toBe(2);
  });

  it('lets two replicas prune at once: each row is deleted once, in batches', async () => {
    const old = new Date(t.clock.now().getTime() - 48 * HOUR_MS);
    const rows = PRUNE_BATCH * 2 + 137;
    const prefix = `batch-${randomId(8)}-`;
    await t.dataSource.query(
      `INSERT INTO auth.login_throttle (key, failures, settled_failures, code_failures, touched_at)
       SELECT $1 || g, 1, 1, 0, $2 FROM generate_series(1, $3) AS g`,
      [prefix, old, rows],
    );
    const [a, b] = await Promise.all([pruner.pruneOnce(), pruner.pruneOnce()]);
    expect(a.loginThrottle + b.loginThrottle).toBe(rows);
    expect(await count('login_throttle', 'key LIKE $1', [`${prefix}%`])).toBe(0);
  });
});
