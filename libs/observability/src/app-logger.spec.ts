import { Test } from '@nestjs/testing';
import { APP_CONFIG } from '@app/config';
import { AppLogger, LOGGER } from './app-logger';
import { errorFields } from './logger';
import { ObservabilityModule } from './observability.module';

/** What ConfigModule (global) gives a service: its validated config as APP_CONFIG. */
class TestConfigModule {}

async function serviceLogger(config: object): Promise<AppLogger> {
  const moduleRef = await Test.createTestingModule({
    imports: [
      {
        module: TestConfigModule,
        global: true,
        providers: [{ provide: APP_CONFIG, useValue: config }],
        exports: [APP_CONFIG],
      },
      ObservabilityModule.forService('unit', { healthEndpoints: false }),
    ],
  }).compile();
  return moduleRef.get<AppLogger>(LOGGER);
}

describe('the service logger (LOGGER)', () => {
  it('is one logger per service, shared by every class that injects it', async () => {
    const moduleRef = await Test.createTestingModule({
      imports: [ObservabilityModule.forService('unit', { healthEndpoints: false })],
    }).compile();
    expect(moduleRef.get(LOGGER)).toBe(moduleRef.get(LOGGER));
  });

  it("honours the service's LOG_LEVEL, and so does every class's child", async () => {
    const logger = await serviceLogger({ LOG_LEVEL: 'warn' });
    const child = logger.child({ component: 'SomeService' });
    expect(child.isLevelEnabled('info')).toBe(false);
    expect(child.isLevelEnabled('warn')).toBe(true);
    // Not the environment's level (the test runner sets LOG_LEVEL=warn): the service's config.
    expect((await serviceLogger({ LOG_LEVEL: 'debug' })).isLevelEnabled('debug')).toBe(true);
    expect((await serviceLogger({ LOG_LEVEL: 'error' })).isLevelEnabled('warn')).toBe(false);
  });

  it('keeps only the type, code, message and stack of an error under `err`', () => {
    const error = Object.assign(new Error('duplicate key'), {
      code: '23505',
      parameters: ['a@example.com'],
    });
    const fields = errorFields(error) as Record<string, unknown>;
    expect(fields).toMatchObject({ type: 'Error', code: '23505', message: 'duplicate key' });
    expect(JSON.stringify(fields)).not.toContain('a@example.com');
    expect(errorFields('already a message')).toBe('already a message');
  });
});
