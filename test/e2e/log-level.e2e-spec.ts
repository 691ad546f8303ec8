import { Platform, PlatformService, randomIp, startPlatform } from '@app/testing';

/** pino's numeric levels: below 40 is info, debug or trace. */
const WARN = 40;

function levelsOf(lines: string[]): number[] {
  return lines.flatMap((line) => {
    try {
      const parsed = JSON.parse(line) as { level?: unknown };
      return typeof parsed.level === 'number' ? [parsed.level] : [];
    } catch {
      return [];
    }
  });
}

/**
 * LOG_LEVEL as an operator sets it (README): every service honours it, its framework lines and every
 * class's lines alike. The audit service runs at info beside the others, to show the lines counted
 * are there when the level lets them through.
 */
describe('LOG_LEVEL', () => {
  let platform: Platform;

  beforeAll(async () => {
    platform = await startPlatform({
      env: { LOG_LEVEL: 'warn' },
      serviceEnv: { audit: { LOG_LEVEL: 'info' } },
    });
  });

  afterAll(async () => {
    await platform?.stop();
  });

  it('keeps info lines out of every service started with LOG_LEVEL=warn', async () => {
    // A refused login crosses the gateway, auth and the audit trail.
    const res = await fetch(`${platform.baseUrl}/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-forwarded-for': randomIp() },
      body: JSON.stringify({ userId: 'nobody-at-all', password: 'not-the-password-1' }),
    });
    expect(res.status).toBe(401);

    const quiet: PlatformService[] = ['gateway', 'auth', 'notification', 'case-management'];
    for (const service of quiet) {
      const below = levelsOf(platform.logs(service)).filter((level) => level < WARN);
      expect({ service, infoLines: below.length }).toEqual({ service, infoLines: 0 });
    }
    expect(levelsOf(platform.logs('audit')).filter((level) => level < WARN).length).toBeGreaterThan(0);
  });
});
