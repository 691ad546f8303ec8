import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { DomainError, ErrorCode } from '@app/contracts';
import { call, randomIp, randomSuffix } from '@app/testing';
import { RunningGateway, StandInServices, startGateway } from './gateway-harness';

jest.setTimeout(60_000);

const FLOW = '3f1c2a52-8a4e-4a57-9a0e-2f0b7c1d9e11';
const authenticated = {
  status: 'authenticated' as const,
  accessToken: 'a.b.c',
  refreshToken: 'r',
  expiresIn: 900,
  tenants: [],
  activeTenant: null,
  deviceToken: 'device-token-1',
};

function standIns(): StandInServices {
  return new StandInServices()
    .on('auth.login.password', () => {
      throw new DomainError(ErrorCode.InvalidCredentials);
    })
    .on('auth.login.verify', () => authenticated)
    .on('notification.outbox.list', () => []);
}

const verifyWithTrust = (url: string, headers: Record<string, string> = {}) =>
  call(url, 'POST', `/api/v1/auth/login/${FLOW}/verify`, {
    body: { method: 'email', code: '123456', trustBrowser: { name: 'Work laptop' } },
    headers,
  });

const deviceCookie = (headers: Headers) =>
  headers.getSetCookie().find((cookie) => cookie.startsWith('mamori_device='));

describe('TRUST_PROXY: which hops say who the client is', () => {
  const services = standIns();
  const gateways: RunningGateway[] = [];
  const start = async (trustProxy: string) => {
    const gw = await startGateway(
      { TRUST_PROXY: trustProxy, RATE_LIMIT_CREDENTIAL_ADDRESS_PER_MINUTE: 2 },
      services,
    );
    gateways.push(gw);
    return gw;
  };
  const login = (url: string, forwardedFor: string) =>
    call(url, 'POST', '/api/v1/auth/login', {
      ip: forwardedFor,
      body: { userId: `u-${randomSuffix()}`, password: 'x' },
    });

  afterAll(async () => {
    await Promise.all(gateways.map((gw) => gw.close()));
  });

  it('with one trusted hop, each client has its own limit and cannot step into another one by prefixing', async () => {
    const gw = await start('1');
    const [first, second] = [randomIp(), randomIp()];
    expect([(await login(gw.url, first)).status, (await login(gw.url, first)).status]).toEqual([401, 401]);
    expect((await login(gw.url, first)).status).toBe(429);
    // The proxy appends the address it saw: a client writing someone else's address first stays itself.
    expect((await login(gw.url, `${second}, ${first}`)).status).toBe(429);
    expect((await login(gw.url, second)).status).toBe(401);
  });

  it('with no trusted hop, X-Forwarded-For is ignored: every caller is the connection it came on', async () => {
    const gw = await start('0');
    expect([(await login(gw.url, randomIp())).status, (await login(gw.url, randomIp())).status]).toEqual([
      401, 401,
    ]);
    expect((await login(gw.url, randomIp())).status).toBe(429);
  });

  it('refuses to start the gateway with a value that would trust everyone, or is not one', () => {
    const main = path.join(__dirname, '../../../dist/apps/gateway/src/main.js');
    for (const value of ['true', '0.0.0.0/0']) {
      const run = spawnSync(process.execPath, [main], {
        env: { ...process.env, TRUST_PROXY: value, LOG_LEVEL: 'info', PORT: '0' },
        encoding: 'utf8',
        timeout: 20_000,
      });
      expect({ value, status: run.status }).toEqual({ value, status: 78 });
      const messages = `${run.stdout}\n${run.stderr}`
        .split('\n')
        .filter((line) => line.startsWith('{'))
        .map((line) => (JSON.parse(line) as { msg: string }).msg);
      expect(messages.join('\n')).toContain(`TRUST_PROXY=${JSON.stringify(value)} is invalid`);
    }
  });
});

describe('the trusted-browser cookie is Secure whenever the edge was HTTPS', () => {
  const services = standIns();
  let dev: RunningGateway;
  let production: RunningGateway;

  beforeAll(async () => {
    [dev, production] = await Promise.all([
      startGateway({ TRUST_PROXY: '1' }, services),
      startGateway({ TRUST_PROXY: '1', NODE_ENV: 'production' }, services),
    ]);
  });
  afterAll(async () => {
    await Promise.all([dev?.close(), production?.close()]);
  });

  it('Secure behind a TLS-terminating proxy (X-Forwarded-Proto: https), not on plain local HTTP', async () => {
    const https = deviceCookie((await verifyWithTrust(dev.url, { 'x-forwarded-proto': 'https' })).headers);
    expect(https).toMatch(/; Secure/);
    expect(https).toMatch(/HttpOnly/);
    const plain = deviceCookie((await verifyWithTrust(dev.url)).headers);
    expect(plain).toBeDefined();
    expect(plain).not.toMatch(/; Secure/);
  });

  it('always Secure with NODE_ENV=production', async () => {
    expect(deviceCookie((await verifyWithTrust(production.url)).headers)).toMatch(/; Secure/);
  });
});

describe('the development outbox', () => {
  const services = standIns();
  const gateways: RunningGateway[] = [];
  const outboxCalls = () => services.calls.filter((c) => c.subject === 'notification.outbox.list').length;
  let off: RunningGateway;
  let on: RunningGateway;
  let production: RunningGateway;

  beforeAll(async () => {
    [off, on, production] = await Promise.all([
      startGateway({}, services),
      startGateway({ DEV_OUTBOX: 'true' }, services),
      startGateway({ DEV_OUTBOX: 'true', NODE_ENV: 'production' }, services),
    ]);
    gateways.push(off, on, production);
  });
  afterAll(async () => {
    await Promise.all(gateways.map((gw) => gw.close()));
  });

  it('does not exist without DEV_OUTBOX=true, nor with NODE_ENV=production; the service is not asked', async () => {
    const before = outboxCalls();
    for (const gw of [off, production]) {
      const answer = await call(gw.url, 'GET', '/api/v1/dev/outbox', { ip: '127.0.0.1' });
      expect({ status: answer.status, code: answer.body.error?.code }).toEqual({
        status: 404,
        code: 'not_found',
      });
    }
    expect(outboxCalls()).toBe(before);
  });

  it('with DEV_OUTBOX=true answers a client on this machine only, not one a trusted proxy forwards', async () => {
    const before = outboxCalls();
    expect((await call(on.url, 'GET', '/api/v1/dev/outbox', { ip: '127.0.0.1' })).status).toBe(200);
    const forwarded = await call(on.url, 'GET', '/api/v1/dev/outbox', { ip: randomIp() });
    expect({ status: forwarded.status, code: forwarded.body.error?.code }).toEqual({
      status: 404,
      code: 'not_found',
    });
    expect(outboxCalls()).toBe(before + 1);
  });
});
