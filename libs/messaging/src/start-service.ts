import { INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { MicroserviceOptions } from '@nestjs/microservices';
import { BaseEnv, ConfigError } from '@app/config';
import { ServiceName } from '@app/contracts';
import { createLogger, LOGGER, PinoNestLogger } from '@app/observability';
import type { Logger } from 'pino';
import { DrainingNatsServer } from './draining-nats.server';
import { natsConnectionOptions } from './nats-options';
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
  app.useGlobalFilters(new RpcErrorFilter(app.get(LOGGER)));
  app.useGlobalInterceptors(app.get(RpcServerInterceptor));
  const nats = new DrainingNatsServer({ ...natsConnectionOptions(env, name), queue: name });
  app.connectMicroservice<MicroserviceOptions>({ strategy: nats }, { inheritAppConfig: true });
  stopOnSignals(app, nats, env.SHUTDOWN_GRACE_SECONDS * 1000, logger);
  // Module hooks first (migrations, registrations such as second-step methods and projections), so
  // no request is taken from NATS before the service is whole.
  await app.init();
  await app.startAllMicroservices();
  await app.listen(env.HTTP_PORT, '0.0.0.0');
  const address = app.getHttpServer().address() as { port: number };
  logger.info({ httpPort: address.port }, `${name} ready`);
  return app;
}

/**
 * SIGTERM (or Ctrl-C): stop taking NATS requests and answer those in hand, then run the module hooks
 * (workers finish or hand back their jobs, consumers their messages; connections close), then exit.
 * Past the grace period the process exits anyway: an orchestrator would kill it soon after.
 */
function stopOnSignals(
  app: INestApplication,
  nats: DrainingNatsServer,
  graceMs: number,
  logger: Logger,
): void {
  let stopping = false;
  const stop = async (signal: NodeJS.Signals): Promise<void> => {
    if (stopping) {
      return;
    }
    stopping = true;
    const started = Date.now();
    logger.info(
      { signal, graceSeconds: graceMs / 1000 },
      'stopping: no new requests, finishing those in hand',
    );
    setTimeout(() => {
      logger.error({ graceSeconds: graceMs / 1000 }, 'grace period over; exiting with work unfinished');
      process.exit(1);
    }, graceMs).unref();
    const drained = await nats.stopTaking(graceMs);
    if (!drained) {
      logger.warn('requests still in hand when the grace period ended');
    }
    await app.close();
    logger.info({ ms: Date.now() - started }, 'stopped');
    process.exit(0);
  };
  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
    process.once(signal, (received) => void stop(received));
  }
}
