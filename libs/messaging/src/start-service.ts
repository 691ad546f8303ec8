import { INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { MicroserviceOptions, Transport } from '@nestjs/microservices';
import { BaseEnv, ConfigError } from '@app/config';
import { ServiceName } from '@app/contracts';
import { createLogger, PinoNestLogger } from '@app/observability';
import { natsConnectionOptions } from './nats-connection';
import { RpcErrorFilter } from './rpc-exception.filter';
import { RpcServerInterceptor } from './rpc-server.interceptor';

/**
 * Boots a back-end service: NATS request/reply in the service's queue group (so replicas share the
 * work), plus a small HTTP server for health and metrics. Exits with a clear message on bad config.
 */
export async function startService(
  name: ServiceName,
  module: unknown,
  loadEnv: () => BaseEnv,
): Promise<INestApplication> {
  const logger = createLogger(name);
  let env: BaseEnv;
  try {
    env = loadEnv();
  } catch (error) {
    if (error instanceof ConfigError) {
      logger.fatal(error.message);
      process.exit(78);
    }
    throw error;
  }
  const app = await NestFactory.create(module as never, { logger: new PinoNestLogger(logger) });
  // A hybrid app's microservice counts as initialised at once, so enhancers go on the app and are
  // inherited; the filter and interceptor act on NATS calls only.
  app.useGlobalFilters(new RpcErrorFilter());
  app.useGlobalInterceptors(app.get(RpcServerInterceptor));
  app.connectMicroservice<MicroserviceOptions>(
    { transport: Transport.NATS, options: { ...natsConnectionOptions(env.NATS_URL, name), queue: name } },
    { inheritAppConfig: true },
  );
  app.enableShutdownHooks();
  // Module hooks first (migrations, registrations such as second-step methods and projections), so
  // no request is taken from NATS before the service is whole.
  await app.init();
  await app.startAllMicroservices();
  await app.listen(env.HTTP_PORT, '0.0.0.0');
  const address = app.getHttpServer().address() as { port: number };
  logger.info({ httpPort: address.port }, `${name} ready`);
  return app;
}
