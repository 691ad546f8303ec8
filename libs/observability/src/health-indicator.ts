/** Something a service needs in order to be ready: its database, Redis, NATS. */
export interface HealthIndicator {
  readonly name: string;
  isUp(): Promise<boolean>;
}

export const HEALTH_INDICATORS = Symbol('HEALTH_INDICATORS');

export async function runHealthChecks(
  indicators: HealthIndicator[],
): Promise<{ status: 'up' | 'down'; checks: Record<string, 'up' | 'down'> }> {
  const results = await Promise.all(
    indicators.map(async (i) => [i.name, await i.isUp().catch(() => false)] as const),
  );
  const checks = Object.fromEntries(results.map(([name, up]) => [name, up ? 'up' : 'down'] as const));
  return { status: results.every(([, up]) => up) ? 'up' : 'down', checks };
}
