import {
  ApiClient,
  Platform,
  randomSuffix,
  SmtpSink,
  startPlatform,
  strongPassword,
  TcpProxy,
  testEnv,
} from '@app/testing';
import { createOperator } from './support/story-helpers';

const OUTAGE_MS = 15_000;
/** The platform must answer again this soon after PostgreSQL is back. */
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

/**
 * PostgreSQL goes away under the running platform and comes back. Every service reaches it through a
 * TCP proxy this file stops (open connections cut, new ones refused: what a restart does to clients)
 * and starts again, so the PostgreSQL server other test runs share is never touched.
 */
describe('a PostgreSQL outage of 15 s', () => {
  const smtp = new SmtpSink();
  const proxy = TcpProxy.forUrl(testEnv().DATABASE_URL);
  let platform: Platform;
  let api: ApiClient;
  const userId = `pgout-${randomSuffix()}`;
  const password = strongPassword();

  beforeAll(async () => {
    const [{ url: smtpUrl }] = await Promise.all([smtp.start(), proxy.start()]);
    const env: Record<string, string> = {
      DATABASE_URL: proxy.rewrite(testEnv().DATABASE_URL),
      SMTP_URL: smtpUrl,
    };
    if (process.env.AUDIT_DATABASE_URL) {
      env.AUDIT_DATABASE_URL = proxy.rewrite(process.env.AUDIT_DATABASE_URL);
    }
    platform = await startPlatform({ env });
    api = new ApiClient(platform.baseUrl);
    await createOperator(userId, `${userId}@example.test`, password);
  });

  afterAll(async () => {
    await platform?.stop();
    await proxy.stop();
    await smtp.stop();
  });

  const login = async () => {
    const res = await api.post('/auth/login', { userId, password });
    return res.status === 200 && res.body?.status === 'second_factor_required' ? 'ok' : String(res.status);
  };

  it('answers 503, never a 500, while it is away, and logins work again within 10 s of its return', async () => {
    expect(await login()).toBe('ok');
    await proxy.stop();
    const outageStarted = Date.now();
    const during: string[] = [];
    while (Date.now() - outageStarted < OUTAGE_MS) {
      during.push(await login());
      await new Promise((resolve) => setTimeout(resolve, 1000));
    }
    // The outage was real: logins could not be checked while it lasted.
    expect(during).toContain('503');
    // Whatever a request met during the outage, it was an answer the client can act on.
    expect(during.filter((s) => s !== 'ok' && s !== '503')).toEqual([]);
    // No process gave up: liveness stays 200, nothing needs a restart.
    expect(await status(`${platform.rootUrl}/health`)).toBe(200);

    await proxy.start();
    const back = Date.now();
    let answering = 0;
    while (Date.now() - back < RECOVERY_BUDGET_MS) {
      if ((await login()) === 'ok') {
        answering = Date.now() - back;
        break;
      }
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    process.stdout.write(
      `postgres outage: login working ${answering} ms after PostgreSQL returned; during: ${during.join(',')}\n`,
    );
    expect(answering).toBeGreaterThan(0);
  });
});
