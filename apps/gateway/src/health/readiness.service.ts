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
 * The platform is ready when the gateway's Redis answers and every service answers its health
 * subject over NATS with `up` (each service's own answer covers its database and Redis).
 */
@Injectable()
export class ReadinessService {
  constructor(
    private readonly rpc: RpcClient,
    @Inject(GATEWAY_REDIS) private readonly redis: Redis,
  ) {}

  async check(): Promise<ReadinessReport> {
    const [redisUp, ...services] = await Promise.all([
      within(this.redis.ping(), READINESS_TIMEOUT_MS).then(
        (reply) => reply === 'PONG',
        () => false,
      ),
      ...SERVICE_NAMES.map((name) =>
        within(this.rpc.send(HEALTH_SUBJECTS[name] as HealthSubject, {}), READINESS_TIMEOUT_MS).then(
          (health): [ServiceName, ServiceHealth | undefined] => [name, health],
          (): [ServiceName, ServiceHealth | undefined] => [name, undefined],
        ),
      ),
    ]);
    const checks: Record<string, 'up' | 'down'> = { redis: redisUp ? 'up' : 'down' };
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
