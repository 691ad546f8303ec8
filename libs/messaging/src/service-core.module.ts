import { DynamicModule, Module } from '@nestjs/common';
import { z } from 'zod';
import { ConfigModule } from '@app/config';
import { ServiceName } from '@app/contracts';
import { ObservabilityModule } from '@app/observability';
import { MessagingModule } from './messaging.module';
import { RpcServerInterceptor } from './rpc-server.interceptor';

/** What every back-end service imports first: validated config, metrics and health, the NATS client. */
@Module({})
export class ServiceCoreModule {
  static forService<S extends z.ZodObject>(
    name: ServiceName,
    schema: S,
    overrides: Partial<z.infer<S>> = {},
  ): DynamicModule {
    return {
      module: ServiceCoreModule,
      imports: [
        ConfigModule.forRoot(schema, overrides),
        ObservabilityModule.forService(name),
        MessagingModule,
      ],
      providers: [RpcServerInterceptor],
      exports: [RpcServerInterceptor],
    };
  }
}
