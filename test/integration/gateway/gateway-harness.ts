import { INestApplication } from '@nestjs/common';
import { NestExpressApplication } from '@nestjs/platform-express';
import { Test } from '@nestjs/testing';
import pino from 'pino';
import { Clock, GatewayEnv } from '@app/config';
import { AccessTokenClaims, RpcRequest, RpcResponse, RpcSubject } from '@app/contracts';
import { RpcClient } from '@app/messaging';
import { jwksOf, runSigningKeys, signAccessToken, TestTokenOptions } from '@app/testing';
import { configureApp } from '@app/gateway/bootstrap/configure-app';
import { GatewayModule } from '@app/gateway/gateway.module';
import { MetricsServer } from '@app/gateway/metrics/metrics-server';

type Handler = (data: any, ctx: any) => unknown;

/**
 * Stands in for the back-end services behind the gateway (the far side of its NATS boundary), so the
 * gateway's own HTTP contract can be checked whatever else runs on the shared NATS. Each call is kept.
 */
export class StandInServices {
  readonly calls: { subject: RpcSubject; data: unknown; ctx: any }[] = [];
  private readonly handlers = new Map<RpcSubject, Handler>();

  on<S extends RpcSubject>(
    subject: S,
    handler: (data: RpcRequest<S>, ctx: any) => RpcResponse<S> | Promise<RpcResponse<S>>,
  ): this {
    this.handlers.set(subject, handler as Handler);
    return this;
  }

  readonly send = async (subject: RpcSubject, data: unknown, ctx?: unknown): Promise<unknown> => {
    if (subject === 'auth.keys.jwks') {
      // As auth publishes them: the gateway fetches the keys before it verifies a token.
      return jwksOf(runSigningKeys());
    }
    const { RequestContext } = await import('@app/observability');
    const callCtx = ctx ?? RequestContext.current();
    this.calls.push({ subject, data, ctx: callCtx && JSON.parse(JSON.stringify(callCtx)) });
    const handler = this.handlers.get(subject);
    if (!handler) {
      throw new Error(`stand-in has no answer for ${subject}`);
    }
    return handler(data, callCtx);
  };

  last(subject: RpcSubject): { data: any; ctx: any } | undefined {
    return [...this.calls].reverse().find((c) => c.subject === subject);
  }
}

export interface RunningGateway {
  app: INestApplication;
  url: string;
  /** Root of the gateway's own metrics port (`/metrics` is not on the public one). */
  metricsUrl: string;
  close(): Promise<void>;
}

/** Env the CI runner provides (see the team brief); the gateway's own keys live under `<prefix>:throttle:`. */
export function baseOverrides(): Partial<GatewayEnv> {
  return { NATS_REQUEST_TIMEOUT_MS: 1_500, LOG_LEVEL: 'silent' };
}

/** Every rate limit out of the way, for tests of something else. */
export const LIFTED_RATE_LIMITS = {
  RATE_LIMIT_CREDENTIAL_ACCOUNT_PER_MINUTE: 100_000,
  RATE_LIMIT_CREDENTIAL_ADDRESS_PER_MINUTE: 100_000,
  RATE_LIMIT_SESSION_PER_MINUTE: 100_000,
  RATE_LIMIT_USER_PER_MINUTE: 100_000,
  RATE_LIMIT_ANONYMOUS_ADDRESS_PER_MINUTE: 100_000,
  RATE_LIMIT_INTEGRATION_KEY_PER_MINUTE: 100_000,
} satisfies Partial<GatewayEnv>;

/**
 * The gateway as main.ts builds it, on a free port; `services` replaces the NATS client when given,
 * `options.clock` the rate limiter's clock.
 */
export async function startGateway(
  overrides: Partial<GatewayEnv> = {},
  services?: StandInServices,
  options: { clock?: Clock } = {},
): Promise<RunningGateway> {
  let builder = Test.createTestingModule({
    imports: [GatewayModule.forRoot({ ...baseOverrides(), ...overrides })],
  });
  if (options.clock) {
    // The rate limiter's clock: a test decides which minute its requests fall in.
    builder = builder.overrideProvider(Clock).useValue(options.clock);
  }
  if (services) {
    builder = builder.overrideProvider(RpcClient).useValue({
      send: services.send,
      ping: async () => undefined,
      onApplicationShutdown: async () => undefined,
    });
  }
  const moduleRef = await builder.compile();
  const app = moduleRef.createNestApplication<NestExpressApplication>({ bodyParser: false, logger: false });
  configureApp(app, pino({ level: 'silent' }));
  await app.listen(0, '127.0.0.1');
  const { port } = app.getHttpServer().address() as { port: number };
  return {
    app,
    url: `http://127.0.0.1:${port}`,
    metricsUrl: `http://127.0.0.1:${app.get(MetricsServer).port}`,
    close: () => app.close(),
  };
}

export function redisPrefix(): string {
  return process.env.REDIS_PREFIX ?? 'mamori';
}

/** An access token as auth would sign it (the run's key), or wrong in the one way `options` says. */
export function accessToken(claims: Partial<AccessTokenClaims> = {}, options: TestTokenOptions = {}): string {
  return signAccessToken(claims, options);
}
