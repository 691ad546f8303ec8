import { randomUUID } from 'node:crypto';
import { Platform, startPlatform } from '@app/testing';

/** A burst of logins (each a wrong password for a fresh unknown ID: 401, an argon2 verify in auth). */
const BURST = 160;
const CONCURRENCY = 16;

interface Tally {
  statuses: number[];
  /** Requests whose connection failed before an answer: never accepted, so not the server's to answer. */
  refused: number;
}

async function burst(platform: Platform, whileRunning: () => Promise<void>): Promise<Tally> {
  const tally: Tally = { statuses: [], refused: 0 };
  let sent = 0;
  const worker = async (): Promise<void> => {
    while (sent < BURST) {
      sent++;
      try {
        const res = await fetch(`${platform.baseUrl}/auth/login`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ userId: `nobody-${randomUUID().slice(0, 8)}`, password: 'Wrong-Passw0rd!' }),
          signal: AbortSignal.timeout(30_000),
        });
        await res.arrayBuffer();
        tally.statuses.push(res.status);
      } catch {
        tally.refused++;
      }
    }
  };
  const workers = Array.from({ length: CONCURRENCY }, () => worker());
  // Let the burst get going before the signal.
  await new Promise((resolve) => setTimeout(resolve, 300));
  await whileRunning();
  await Promise.all(workers);
  return tally;
}

describe('SIGTERM during a burst', () => {
  let platform: Platform;

  beforeAll(async () => {
    platform = await startPlatform({
      instances: { auth: 2 },
      env: { RATE_LIMIT_PER_MINUTE: '1000000', SHUTDOWN_GRACE_SECONDS: '10' },
    });
  });

  afterAll(async () => {
    await platform?.stop();
  });

  it('a stopping auth replica answers what it took; the other takes the rest: no 5xx', async () => {
    let exit: Awaited<ReturnType<Platform['signal']>> | undefined;
    const started = Date.now();
    const tally = await burst(platform, async () => {
      exit = await platform.signal('auth#1', 'SIGTERM');
    });
    if (exit?.code !== 0) {
      // What the replica said on its way out is the only clue to an unclean exit.
      process.stdout.write(`auth#1's last lines:\n${platform.logs('auth#1').slice(-30).join('\n')}\n`);
    }
    expect(exit).toEqual({ code: 0, signal: null });
    expect(tally.refused).toBe(0);
    expect(tally.statuses.filter((s) => s >= 500)).toEqual([]);
    expect(tally.statuses.every((s) => s === 401)).toBe(true);
    expect(platform.logs('auth').some((line) => line.includes('stopping: no new requests'))).toBe(true);
    process.stdout.write(
      `auth SIGTERM: ${tally.statuses.length} answered, burst ${Date.now() - started} ms\n`,
    );
  });

  it('the gateway answers the requests it accepted, closes keep-alive connections and exits in time', async () => {
    let exit: Awaited<ReturnType<Platform['signal']>> | undefined;
    let stopMs = 0;
    const tally = await burst(platform, async () => {
      const started = Date.now();
      exit = await platform.signal('gateway', 'SIGTERM');
      stopMs = Date.now() - started;
    });
    expect(exit).toEqual({ code: 0, signal: null });
    // Well inside the grace period, although the burst's clients hold keep-alive connections.
    expect(stopMs).toBeLessThan(10_000);
    expect(tally.statuses.filter((s) => s >= 500)).toEqual([]);
    expect(tally.statuses.length).toBeGreaterThan(0);
    process.stdout.write(
      `gateway SIGTERM: exited after ${stopMs} ms; ${tally.statuses.length} answered, ${tally.refused} refused after close\n`,
    );
  });
});
