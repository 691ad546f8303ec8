import { NatsConnection, Subscription } from 'nats';
import { LoginHistoryPage } from '@app/contracts';
import { connectNats } from '@app/messaging';
import { call, expectStatus, natsSettingsAs, randomIp, randomSuffix } from '@app/testing';
import { LIFTED_RATE_LIMITS, RunningGateway, startGateway } from '../gateway/gateway-harness';
import { AuthGateway } from './auth-gateway';

jest.setTimeout(60_000);

const LIMITS = {
  TRUST_PROXY: '1',
  RATE_LIMIT_CREDENTIAL_ACCOUNT_PER_MINUTE: 3,
  RATE_LIMIT_CREDENTIAL_ADDRESS_PER_MINUTE: 4,
  RATE_LIMIT_SESSION_PER_MINUTE: 3,
};

/** Counts the requests that reach NATS, subject by subject, as a plain subscriber beside the services. */
class NatsTap {
  private readonly counts = new Map<string, number>();
  private constructor(
    private readonly connection: NatsConnection,
    private readonly subscription: Subscription,
  ) {
    void (async () => {
      for await (const message of subscription) {
        this.counts.set(message.subject, (this.counts.get(message.subject) ?? 0) + 1);
      }
    })();
  }

  static async open(url: string): Promise<NatsTap> {
    const connection = await connectNats(natsSettingsAs('test-harness', url), 'rate-limit-tap');
    const tap = new NatsTap(connection, connection.subscribe('auth.>'));
    await connection.flush();
    return tap;
  }

  async count(subject: string): Promise<number> {
    // A round trip to the server: every message published before it has reached this subscriber.
    await this.connection.flush();
    return this.counts.get(subject) ?? 0;
  }

  async close(): Promise<void> {
    this.subscription.unsubscribe();
    await this.connection.close();
  }
}

/** The gateway's rate limits in front of the real auth service, over a real NATS, behind a proxy. */
describe('gateway rate limits in front of auth, behind one trusted proxy (TRUST_PROXY=1)', () => {
  let platform: AuthGateway;
  let replica: RunningGateway;
  let tap: NatsTap;

  beforeAll(async () => {
    platform = await AuthGateway.create({ gateway: LIMITS });
    replica = await startGateway({
      NATS_URL: platform.natsUrl,
      NATS_REQUEST_TIMEOUT_MS: 10_000,
      ...LIFTED_RATE_LIMITS,
      ...LIMITS,
    });
    tap = await NatsTap.open(platform.natsUrl);
  });
  afterAll(async () => {
    await tap?.close();
    await replica?.close();
    await platform?.close();
  });

  const wrongLogin = (url: string, userId: string, ip = randomIp()) =>
    call(url, 'POST', '/api/v1/auth/login', { ip, body: { userId, password: 'Wrong-password-1' } });

  it('two clients behind the proxy have their own limits and their own addresses in login history', async () => {
    const tenant = await platform.auth.newTenant();
    const user = await platform.auth.newUser({ tenant, mfaRequired: true });
    const [first, second] = [randomIp(), randomIp()];

    // The first client spends its credential budget on both replicas: a wrong password for the user,
    // then other accounts; its fifth try is refused.
    const spent = [(await wrongLogin(replica.url, user.userId, first)).status];
    for (let i = 0; i < 3; i++) {
      spent.push(
        (await wrongLogin(i % 2 ? replica.url : platform.url, `nobody-${randomSuffix()}`, first)).status,
      );
    }
    expect(spent).toEqual([401, 401, 401, 401]);
    expect((await wrongLogin(platform.url, user.userId, first)).status).toBe(429);

    // The second client, same proxy, logs in: password step, code, verify (3 of its own 4).
    const session = await platform.login(user, { method: 'email', ip: second });
    const history = await platform.api('GET', '/me/login-history?pageSize=50', {
      token: session.accessToken,
      ip: second,
    });
    expectStatus(history, 200);
    const rows = (history.body as LoginHistoryPage).items;
    expect(rows.filter((row) => row.result === 'failure').map((row) => row.ip)).toEqual([first]);
    expect(rows.filter((row) => row.event === 'session_start').map((row) => row.ip)).toEqual([second]);
    expect(new Set(rows.map((row) => row.ip))).toEqual(new Set([first, second]));
  });

  it('counts one account across both replicas; a refused login never reaches NATS', async () => {
    const user = await platform.auth.newUser();
    const before = await tap.count('auth.login.password');
    const statuses = [];
    for (let i = 0; i < 5; i++) {
      statuses.push((await wrongLogin(i % 2 ? replica.url : platform.url, user.userId)).status);
    }
    expect(statuses).toEqual([401, 401, 401, 429, 429]);
    expect((await tap.count('auth.login.password')) - before).toBe(3);
  });

  it('limits a session after its token is verified; the refused call never reaches NATS', async () => {
    const user = await platform.auth.newUser();
    const { accessToken } = await platform.login(user);
    const before = await tap.count('auth.me.get');
    const statuses = [];
    for (let i = 0; i < 4; i++) {
      statuses.push(
        (await call(i % 2 ? replica.url : platform.url, 'GET', '/api/v1/me', { token: accessToken })).status,
      );
    }
    expect(statuses).toEqual([200, 200, 200, 429]);
    expect((await tap.count('auth.me.get')) - before).toBe(3);
  });
});
