import 'reflect-metadata';
import { randomBytes } from 'node:crypto';
import { INestApplication } from '@nestjs/common';
import { MicroserviceOptions, Transport } from '@nestjs/microservices';
import { Test } from '@nestjs/testing';
import { DataSource } from 'typeorm';
import {
  APP_CONFIG,
  CaseManagementEnv,
  caseManagementEnvSchema,
  Clock,
  GatewayEnv,
  loadConfig,
} from '@app/config';
import { Language } from '@app/contracts';
import { natsConnectionOptions, RpcErrorFilter, RpcServerInterceptor } from '@app/messaging';
import {
  Answer,
  call,
  expectStatus,
  FakeClock,
  natsSettingsAs,
  PrivateNats,
  startPrivateNats,
} from '@app/testing';
import { CaseManagementModule } from '@app/case-management/case-management.module';
import { LOGGER } from '@app/observability';
import { AuthTestApp, TenantFixture, UserFixture } from '../auth/auth-test-app';
import { accessToken, RunningGateway, startGateway } from '../gateway/gateway-harness';

export interface CallOptions {
  token?: string;
  body?: unknown;
  language?: Language;
  headers?: Record<string, string>;
}

/** A customer of a tenant with an access token for it. */
export interface Customer {
  user: UserFixture;
  tenant: TenantFixture;
  token: string;
}

export function randomCode(prefix = 's'): string {
  return `${prefix}${randomBytes(5).toString('hex')}`;
}

/**
 * The gateway, the case management service and the auth service (for tenants, names and addresses),
 * each in-process as production wires it, talking over a NATS of this file's own against the run's
 * real PostgreSQL and Redis. Tests drive it over HTTP with access tokens signed as auth signs them;
 * the case service's clock is a FakeClock.
 */
export class CasePlatform {
  private constructor(
    readonly auth: AuthTestApp,
    public cases: INestApplication,
    public clock: FakeClock,
    public dataSource: DataSource,
    private readonly gateway: RunningGateway,
    readonly nats: PrivateNats,
  ) {}

  /** `config` overrides the case service's environment, `gatewayConfig` the gateway's. */
  static async create(
    config: Partial<CaseManagementEnv> = {},
    gatewayConfig: Partial<GatewayEnv> = {},
  ): Promise<CasePlatform> {
    const nats = await startPrivateNats();
    const auth = await AuthTestApp.create({ rpcNatsUrl: nats.url });
    const { app: cases, clock } = await startCaseService(nats.url, config);
    const gateway = await startGateway({
      NATS_URL: nats.url,
      NATS_REQUEST_TIMEOUT_MS: 10_000,
      RATE_LIMIT_PER_MINUTE: 100_000,
      ...gatewayConfig,
    });
    return new CasePlatform(auth, cases, clock, cases.get(DataSource), gateway, nats);
  }

  api(method: string, path: string, options: CallOptions = {}): Promise<Answer> {
    return call(this.gateway.url, method, `/api/v1${path}`, {
      body: options.body,
      token: options.token,
      headers: { 'accept-language': options.language ?? 'en', ...options.headers },
    });
  }

  get url(): string {
    return this.gateway.url;
  }

  /** An operator account (in auth's tables, as the tenant list checks it) and its token. */
  async operator(): Promise<string> {
    const user = await this.auth.newUser({ operator: true });
    return accessToken({ sub: user.id, tenant: null, role: 'operator' });
  }

  async customer(
    tenant?: TenantFixture,
    role: 'admin' | 'user' = 'user',
    language: Language = 'en',
  ): Promise<Customer> {
    const home = tenant ?? (await this.auth.newTenant());
    const user = await this.auth.newUser({ tenant: home, role, language });
    return { user, tenant: home, token: accessToken({ sub: user.id, tenant: home.number, role }) };
  }

  /** A service contracted to `tenant` through the operators' API; returns its code. */
  async contract(ops: string, tenant: TenantFixture, service?: string): Promise<string> {
    const code = service ?? randomCode();
    const known = await this.api('GET', '/ops/services', { token: ops });
    if (!(known.body as { code: string }[]).some((s) => s.code === code)) {
      expectStatus(
        await this.api('POST', '/ops/services', {
          token: ops,
          body: { code, name: { ja: `サービス${code}`, en: `Service ${code}` } },
        }),
        201,
      );
    }
    expectStatus(
      await this.api('POST', `/ops/tenants/${tenant.number}/contracts`, {
        token: ops,
        body: { service: code, startDate: '2026-04-01' },
      }),
      201,
    );
    return code;
  }

  /** Stops the case service as an outage would (a fault test); the gateway stays up. */
  async stopCases(): Promise<void> {
    await this.cases.close();
    this.casesStopped = true;
  }

  /** Starts the case service again on the same NATS and database. */
  async startCases(config: Partial<CaseManagementEnv> = {}): Promise<void> {
    const { app, clock } = await startCaseService(this.nats.url, config);
    this.cases = app;
    this.clock = clock;
    this.dataSource = app.get(DataSource);
    this.casesStopped = false;
  }

  private casesStopped = false;

  async close(): Promise<void> {
    await this.gateway.close();
    if (!this.casesStopped) {
      await this.cases.close();
    }
    await this.auth.close();
    await this.nats.stop();
  }
}

/** The case management service as startService wires it, on `natsUrl`, with a FakeClock. */
export async function startCaseService(
  natsUrl: string,
  config: Partial<CaseManagementEnv> = {},
): Promise<{ app: INestApplication; clock: FakeClock }> {
  const clock = new FakeClock(new Date());
  const moduleRef = await Test.createTestingModule({ imports: [CaseManagementModule] })
    .overrideProvider(Clock)
    .useValue(clock)
    .overrideProvider(APP_CONFIG)
    .useValue({ ...loadConfig(caseManagementEnvSchema), ...config, NATS_URL: natsUrl })
    .compile();
  const app = moduleRef.createNestApplication({ logger: ['error', 'warn'] });
  app.useGlobalFilters(new RpcErrorFilter(app.get(LOGGER)));
  app.useGlobalInterceptors(app.get(RpcServerInterceptor));
  app.connectMicroservice<MicroserviceOptions>(
    {
      transport: Transport.NATS,
      options: {
        ...natsConnectionOptions(natsSettingsAs('case-management', natsUrl)),
        queue: 'case-management',
        name: 'case-management',
      },
    },
    { inheritAppConfig: true },
  );
  await app.init();
  await app.startAllMicroservices();
  return { app, clock };
}
