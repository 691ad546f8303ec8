import { DynamicModule, Global, Module } from '@nestjs/common';
import { APP_CONFIG } from '@app/config';
import { LOGGER } from './app-logger';
import { HealthController } from './health.controller';
import { createLogger } from './logger';
import { Metrics } from './metrics';

@Global()
@Module({})
export class ObservabilityModule {
  /**
   * Metrics and the logger (LOGGER, at the config's LOG_LEVEL) for the process; with
   * `healthEndpoints`, the HTTP health and metrics controller too.
   */
  static forService(
    service: string,
    options: { healthEndpoints: boolean } = { healthEndpoints: true },
  ): DynamicModule {
    return {
      module: ObservabilityModule,
      controllers: options.healthEndpoints ? [HealthController] : [],
      providers: [
        { provide: Metrics, useValue: new Metrics(service) },
        {
          provide: LOGGER,
          inject: [{ token: APP_CONFIG, optional: true }],
          useFactory: (config?: { LOG_LEVEL?: string }) => createLogger(service, config?.LOG_LEVEL),
        },
      ],
      exports: [Metrics, LOGGER],
    };
  }
}
