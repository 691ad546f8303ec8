import { AuthEnv, GatewayEnv } from '@app/config';
import { AuthenticatedResult, LoginResult, NotificationChannel } from '@app/contracts';
import {
  Answer,
  call,
  expectStatus,
  natsUserEnv,
  PrivateNats,
  randomIp,
  startPrivateNats,
} from '@app/testing';
import { LIFTED_RATE_LIMITS, RunningGateway, startGateway } from '../gateway/gateway-harness';
import { AuthTestApp, UserFixture } from './auth-test-app';

export interface ApiOptions {
  body?: unknown;
  token?: string;
  /** Client address (X-Forwarded-For); a random one per call when absent. */
  ip?: string;
  userAgent?: string;
  /** The trusted-browser cookie `mamori_device`. */
  deviceCookie?: string;
  headers?: Record<string, string>;
}

export interface LoginOptions {
  /** Second-step channel when one is owed (default: the method the server marks default). */
  method?: NotificationChannel;
  /** "Trust this browser" with this name at verify (AUTH-9). */
  trustBrowser?: string;
  deviceToken?: string;
  ip?: string;
  userAgent?: string;
}

/**
 * The gateway in front of the auth service, both in-process, their requests going over a NATS of
 * this file's own (so no other file's auth instance answers them; audit facts still go to the run's
 * NATS, see AuthTestApp.create). Tests drive it over HTTP as a browser
 * would; `auth` gives the factories, the FakeClock, the queued codes and the audit trail of
 * AuthTestApp. Time-based rules move `auth.clock`; the gateway only checks token signatures and
 * revocation marks, so its real clock does not matter within a token's 15 minutes.
 */
export class AuthGateway {
  private constructor(
    readonly auth: AuthTestApp,
    private readonly gateway: RunningGateway,
    private readonly nats: PrivateNats,
  ) {}

  static async create(
    options: { config?: Partial<AuthEnv>; gateway?: Partial<GatewayEnv>; startAt?: Date } = {},
  ): Promise<AuthGateway> {
    const nats = await startPrivateNats();
    try {
      const auth = await AuthTestApp.create({
        startAt: options.startAt,
        config: options.config,
        rpcNatsUrl: nats.url,
      });
      const gateway = await startGateway({
        NATS_URL: nats.url,
        ...natsUserEnv('gateway'),
        NATS_REQUEST_TIMEOUT_MS: 10_000,
        // The auth rules are under test here, not the gateway's limits (gateway-rate-limits.int-spec.ts).
        ...LIFTED_RATE_LIMITS,
        ...options.gateway,
      });
      return new AuthGateway(auth, gateway, nats);
    } catch (error) {
      await nats.stop();
      throw error;
    }
  }

  get url(): string {
    return this.gateway.url;
  }

  /** The NATS server of this file, for a second gateway in front of the same auth service. */
  get natsUrl(): string {
    return this.nats.url;
  }

  /** An HTTP call to `/api/v1<path>`; the body is parsed JSON when the answer is JSON. */
  api(method: string, path: string, options: ApiOptions = {}): Promise<Answer> {
    const headers: Record<string, string> = {
      'user-agent': options.userAgent ?? 'jest-browser',
      ...options.headers,
    };
    if (options.deviceCookie) {
      headers.cookie = `mamori_device=${options.deviceCookie}`;
    }
    return call(this.url, method, `/api/v1${path}`, {
      body: options.body,
      token: options.token,
      ip: options.ip ?? randomIp(),
      headers,
    });
  }

  /** `POST /auth/login`, expecting 200. */
  async passwordStep(user: UserFixture, options: LoginOptions = {}): Promise<LoginResult> {
    const answer = await this.api('POST', '/auth/login', {
      body: {
        userId: user.userId,
        password: user.password,
        ...(options.deviceToken ? { deviceToken: options.deviceToken } : {}),
      },
      ip: options.ip,
      userAgent: options.userAgent,
    });
    expectStatus(answer, 200);
    return answer.body as LoginResult;
  }

  /**
   * Sends a code for the flow and verifies it with the code read from the queue, as the user would
   * from their phone or mailbox; returns the verify answer (expecting 200).
   */
  async codeStep(
    user: UserFixture,
    flowId: string,
    method: NotificationChannel,
    options: { trustBrowser?: string; ip?: string; userAgent?: string; token?: string } = {},
  ): Promise<LoginResult> {
    const challenge = await this.api('POST', `/auth/login/${flowId}/challenge`, {
      body: { method },
      ip: options.ip,
      userAgent: options.userAgent,
    });
    expectStatus(challenge, 202);
    const code = await this.auth.lastCode(user.id, method);
    const verify = await this.api('POST', `/auth/login/${flowId}/verify`, {
      body: {
        method,
        code,
        ...(options.trustBrowser ? { trustBrowser: { name: options.trustBrowser } } : {}),
      },
      token: options.token,
      ip: options.ip,
      userAgent: options.userAgent,
    });
    expectStatus(verify, 200);
    return verify.body as LoginResult;
  }

  /** A whole login through the gateway: password, then a code when one is owed. */
  async login(user: UserFixture, options: LoginOptions = {}): Promise<AuthenticatedResult> {
    const first = await this.passwordStep(user, options);
    if (first.status === 'authenticated') {
      return first;
    }
    if (first.status !== 'second_factor_required') {
      throw new Error(`login of ${user.userId}: unexpected ${first.status}`);
    }
    const method =
      options.method ??
      (first.methods.find((m) => m.default && (m.type === 'sms' || m.type === 'email'))?.type as
        NotificationChannel | undefined) ??
      'email';
    const second = await this.codeStep(user, first.flowId, method, options);
    if (second.status !== 'authenticated') {
      throw new Error(`login of ${user.userId}: unexpected ${second.status}`);
    }
    return second;
  }

  /**
   * Completes a `403 step_up_required` answer with a code on `method` and returns the fresh tokens
   * (AUTH-12), so the test can repeat the call with `accessToken`. The verify carries the access
   * token of the refused call, as a step-up flow belongs to that session.
   */
  async stepUp(
    user: UserFixture,
    refused: Answer,
    method: NotificationChannel = 'email',
  ): Promise<AuthenticatedResult> {
    expectStatus(refused, 403);
    if (refused.body?.error?.code !== 'step_up_required') {
      throw new Error(`expected step_up_required, got ${JSON.stringify(refused.body)}`);
    }
    const flowId = refused.body.error.details.flowId as string;
    const result = await this.codeStep(user, flowId, method, { token: refused.token });
    if (result.status !== 'authenticated') {
      throw new Error(`step-up of ${user.userId}: unexpected ${result.status}`);
    }
    return result;
  }

  /** Moves the auth service's clock past the step-up window, so the next sensitive call needs one. */
  staleSecondStep(): void {
    this.auth.clock.advance(11 * 60 * 1000);
  }

  async close(): Promise<void> {
    await this.gateway.close();
    await this.auth.close();
    await this.nats.stop();
  }
}
