import { DynamicModule, Global, Module } from '@nestjs/common';
import { HealthController } from './health.controller';
import { Metrics } from './metrics';

@Global()
@Module({})
export class ObservabilityModule {
  /** Metrics for the process; with `healthEndpoints`, the HTTP health and metrics controller too. */
  static forService(
    service: string,
    options: { healthEndpoints: boolean } = { healthEndpoints: true },
  ): DynamicModule {
    return {
      module: ObservabilityModule,
      controllers: options.healthEndpoints ? [HealthController] : [],
      providers: [{ provide: Metrics, useValue: new Metrics(service) }],
      exports: [Metrics],
    };
  }
}
