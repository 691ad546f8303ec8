import { Inject, Injectable } from '@nestjs/common';
import type Redis from 'ioredis';
import {
  HEALTH_SUBJECTS,
  RpcResponse,
  RpcSubject,
  SERVICE_NAMES,
  ServiceHealth,
  ServiceName,
} from '@app/contracts';
import { RpcClient } from '@app/messaging';
import { GATEWAY_REDIS } from '../redis/gateway-redis';

/** How long readiness waits for one answer: a probe must answer well before its own deadline. */
export const READINESS_TIMEOUT_MS = 2_000;

/**
 * How long one platform-wide answer is reused. The platform view fans out one NATS request per
 * service; reusing it for a second means any number of callers cost at most four requests a second.
 */
export const PLATFORM_REPORT_TTL_MS = 1_000;

/** The subjects that answer a ServiceHealth (HEALTH_SUBJECTS is typed only as RpcSubject). */
type HealthSubject = { [S in RpcSubject]: RpcResponse<S> extends ServiceHealth ? S : never }[RpcSubject];

export interface ReadinessReport {
  status: 'up' | 'down';
  checks: Record<string, 'up' | 'down'>;
  services: Partial<Record<ServiceName, ServiceHealth>>;
}

function within<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(() => reject(new Error('timed out')), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

/**
 * Two scopes of readiness. The gateway process is ready when its own dependencies answer: Redis
 * (rate limits, revoked sessions) and its NATS connection. That is what a load balancer or a
 * Kubernetes probe asks, so one back-end service being rolled never takes gateways out of rotation
 * (a request to a missing service answers 503 service_unavailable by itself). The platform is ready
 * when, besides, every service answers its health subject over NATS with `up` (each service's own
 * answer covers its database and Redis): the operators' status view and the contract's aggregate.
 */
@Injectable()
export class ReadinessService {
  private platformReport?: { at: number; report: Promise<ReadinessReport> };

  constructor(
    private readonly rpc: RpcClient,
    @Inject(GATEWAY_REDIS) private readonly redis: Redis,
  ) {}

  /** The gateway's own dependencies: no request to any service. */
  async self(): Promise<ReadinessReport> {
    const [redisUp, natsUp] = await Promise.all([
      within(this.redis.ping(), READINESS_TIMEOUT_MS).then(
        (reply) => reply === 'PONG',
        () => false,
      ),
      within(this.rpc.ping(), READINESS_TIMEOUT_MS).then(
        () => true,
        () => false,
      ),
    ]);
    const checks: Record<string, 'up' | 'down'> = {
      redis: redisUp ? 'up' : 'down',
      nats: natsUp ? 'up' : 'down',
    };
    return { status: redisUp && natsUp ? 'up' : 'down', checks, services: {} };
  }

  /**
   * The gateway's dependencies and every service's answer. Concurrent and back-to-back callers
   * within PLATFORM_REPORT_TTL_MS share one round of requests.
   */
  platform(now = Date.now()): Promise<ReadinessReport> {
    const cached = this.platformReport;
    if (cached && now - cached.at < PLATFORM_REPORT_TTL_MS) {
      return cached.report;
    }
    const report = this.checkPlatform();
    this.platformReport = { at: now, report };
    return report;
  }

  private async checkPlatform(): Promise<ReadinessReport> {
    const [own, ...services] = await Promise.all([
      this.self(),
      ...SERVICE_NAMES.map((name) =>
        within(this.rpc.send(HEALTH_SUBJECTS[name] as HealthSubject, {}), READINESS_TIMEOUT_MS).then(
          (health): [ServiceName, ServiceHealth | undefined] => [name, health],
          (): [ServiceName, ServiceHealth | undefined] => [name, undefined],
        ),
      ),
    ]);
    const checks: Record<string, 'up' | 'down'> = { ...own.checks };
    const report: ReadinessReport['services'] = {};
    for (const [name, health] of services) {
      checks[name] = health?.status === 'up' ? 'up' : 'down';
      // Only a real health answer is shown (a stray reply on the subject is not one).
      if (health && typeof health.status === 'string') {
        report[name] = health;
      }
    }
    const status = Object.values(checks).every((c) => c === 'up') ? 'up' : 'down';
    return { status, checks, services: report };
  }
}
