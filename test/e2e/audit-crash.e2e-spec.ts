import { randomUUID } from 'node:crypto';
import { Client } from 'pg';
import { ApiClient, Platform, startPlatform, testEnv } from '@app/testing';

const LOGINS = 120;
const CONCURRENCY = 12;
/** A killed replica's unacknowledged facts must be stored by the other one this soon after the burst. */
const RECOVERY_BUDGET_MS = 15_000;

describe('an audit replica killed mid-burst', () => {
  let platform: Platform;
  const sql = new Client({ connectionString: testEnv().DATABASE_URL });

  beforeAll(async () => {
    platform = await startPlatform({ instances: { audit: 2 }, env: { RATE_LIMIT_PER_MINUTE: '1000000' } });
    await sql.connect();
  });

  afterAll(async () => {
    await platform?.stop();
    await sql.end();
  });

  it('loses no audit fact and stores none twice; the rest arrive within seconds', async () => {
    const api = new ApiClient(platform.baseUrl);
    const ids: string[] = [];
    let sent = 0;
    const worker = async (): Promise<void> => {
      while (sent < LOGINS) {
        sent++;
        const id = randomUUID();
        ids.push(id);
        const res = await api.post(
          '/auth/login',
          { userId: `nobody-${id.slice(0, 8)}`, password: 'Wrong-Passw0rd!' },
          { 'x-request-id': id },
        );
        expect(res.status).toBe(401);
      }
    };
    const burst = Promise.all(Array.from({ length: CONCURRENCY }, () => worker()));
    await new Promise((resolve) => setTimeout(resolve, 500));
    // A crash, not a stop: the replica cannot hand back what it holds.
    expect(await platform.signal('audit#1', 'SIGKILL')).toEqual({ code: null, signal: 'SIGKILL' });
    await burst;
    const burstEnded = Date.now();

    const count = async (): Promise<number> => {
      const { rows } = await sql.query<{ n: string }>(
        `SELECT count(*) AS n FROM audit.event WHERE type = 'auth.login.failed' AND correlation_id = ANY($1)`,
        [ids],
      );
      return Number(rows[0].n);
    };
    while ((await count()) < ids.length && Date.now() - burstEnded < RECOVERY_BUDGET_MS) {
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
    const recoveredMs = Date.now() - burstEnded;
    const { rows } = await sql.query<{ correlation_id: string; n: string }>(
      `SELECT correlation_id, count(*) AS n FROM audit.event
        WHERE type = 'auth.login.failed' AND correlation_id = ANY($1) GROUP BY correlation_id`,
      [ids],
    );
    process.stdout.write(
      `audit killed: ${rows.length}/${ids.length} facts stored, ${recoveredMs} ms after the burst\n`,
    );
    expect(rows).toHaveLength(ids.length);
    expect(rows.filter((row) => Number(row.n) !== 1)).toEqual([]);
    expect(recoveredMs).toBeLessThan(RECOVERY_BUDGET_MS);
  });
});
