import { randomUUID } from 'node:crypto';
import { Client } from 'pg';
import {
  ApiClient,
  Platform,
  RestartableNats,
  startPlatform,
  startRestartableNats,
  testEnv,
} from '@app/testing';

/** Longer than the NATS client library's default reconnect budget (10 attempts, 2 s apart). */
const OUTAGE_MS = 25_000;
/** The platform must answer again this soon after NATS is back. */
const RECOVERY_BUDGET_MS = 10_000;

async function status(url: string): Promise<number> {
  try {
    const res = await fetch(url, { signal: AbortSignal.timeout(12_000) });
    await res.arrayBuffer();
    return res.status;
  } catch {
    return 0;
  }
}

/** Milliseconds until `probe` is true, polling every 200 ms; throws past `limitMs`. */
async function timeUntil(probe: () => Promise<boolean>, limitMs: number, what: string): Promise<number> {
  const started = Date.now();
  for (;;) {
    if (await probe()) {
      return Date.now() - started;
    }
    if (Date.now() - started > limitMs) {
      throw new Error(`${what} not within ${limitMs} ms`);
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

describe('a NATS outage of 25 s', () => {
  let nats: RestartableNats;
  let platform: Platform;
  let api: ApiClient;
  const sql = new Client({ connectionString: testEnv().DATABASE_URL });

  beforeAll(async () => {
    nats = await startRestartableNats();
    platform = await startPlatform({ env: { NATS_URL: nats.url } });
    api = new ApiClient(platform.baseUrl);
    await sql.connect();
  });

  afterAll(async () => {
    await platform?.stop();
    await nats?.dispose();
    await sql.end();
  });

  /** A wrong password for a fresh unknown ID: a 401 that leaves one `auth.login.failed` fact. */
  const wrongLogin = (requestId: string) =>
    api.post(
      '/auth/login',
      { userId: `nobody-${randomUUID().slice(0, 8)}`, password: 'Wrong-Passw0rd!' },
      { 'x-request-id': requestId },
    );

  it('readiness goes 503 during it, the platform answers within 10 s of its end, no audit fact lost', async () => {
    // Facts made just before the outage are still in the outbox or the stream when NATS goes.
    const before = Array.from({ length: 20 }, () => randomUUID());
    const answers = await Promise.all(before.map((id) => wrongLogin(id)));
    expect(answers.map((a) => a.status)).toEqual(before.map(() => 401));

    await nats.stop();
    const outageStarted = Date.now();
    await timeUntil(
      async () => (await status(`${platform.rootUrl}/health/ready`)) === 503,
      15_000,
      'readiness 503',
    );
    expect((await wrongLogin(randomUUID())).status).toBe(503);
    // Liveness: every process is still there and says so; nothing needs restarting.
    expect(await status(`${platform.rootUrl}/health`)).toBe(200);
    await new Promise((resolve) =>
      setTimeout(resolve, Math.max(0, OUTAGE_MS - (Date.now() - outageStarted))),
    );

    await nats.start();
    const ready = await timeUntil(
      async () => (await status(`${platform.rootUrl}/health/ready`)) === 200,
      RECOVERY_BUDGET_MS,
      'readiness 200',
    );
    let after = '';
    const answering = await timeUntil(
      async () => {
        // A fresh id each try: a try answered 503 may still be carried out once NATS delivers it.
        const id = randomUUID();
        const answered = (await wrongLogin(id)).status === 401;
        after = answered ? id : after;
        return answered;
      },
      RECOVERY_BUDGET_MS,
      'login answering',
    );
    process.stdout.write(
      `nats outage: ready again after ${ready} ms, login answering ${answering} ms later\n`,
    );

    // Every fact reached the audit trail exactly once: none lost in the outage, none doubled by replays.
    const ids = [...before, after];
    const counted = await timeUntil(
      async () => {
        const { rows } = await sql.query<{ n: string }>(
          `SELECT count(*) AS n FROM audit.event WHERE type = 'auth.login.failed' AND correlation_id = ANY($1)`,
          [ids],
        );
        return Number(rows[0].n) >= ids.length;
      },
      30_000,
      'audit facts',
    );
    process.stdout.write(`nats outage: every audit fact stored ${counted} ms after the login answered\n`);
    const { rows } = await sql.query<{ correlation_id: string; n: string }>(
      `SELECT correlation_id, count(*) AS n FROM audit.event
        WHERE type = 'auth.login.failed' AND correlation_id = ANY($1) GROUP BY correlation_id`,
      [ids],
    );
    expect(rows).toHaveLength(ids.length);
    expect(rows.every((row) => Number(row.n) === 1)).toBe(true);
  });
});
