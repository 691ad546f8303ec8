import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { NestExpressApplication } from '@nestjs/platform-express';
import { ConfigError, gatewayEnvSchema, loadConfig } from '@app/config';
import { createLogger, PinoNestLogger } from '@app/observability';
import { configureApp, DOCS_PATH } from './bootstrap/configure-app';
import { GatewayModule } from './gateway.module';
import { MetricsServer } from './metrics/metrics-server';

/** Exit status for a configuration error (sysexits EX_CONFIG), as the back-end services use. */
const EXIT_CONFIG = 78;

async function bootstrap(): Promise<void> {
  const logger = createLogger('gateway');
  let port: number;
  try {
    // Validated here first, so a bad environment ends with its clear message instead of a stack.
    const config = loadConfig(gatewayEnvSchema);
    port = config.PORT;
    if (config.RATE_LIMIT_PER_MINUTE !== undefined) {
      logger.warn('RATE_LIMIT_PER_MINUTE is deprecated: it stands for every RATE_LIMIT_* that is not set');
    }
  } catch (error) {
    if (error instanceof ConfigError) {
      logger.fatal(error.message);
      process.exit(EXIT_CONFIG);
    }
    throw error;
  }
  const app = await NestFactory.create<NestExpressApplication>(GatewayModule.forRoot(), {
    logger: new PinoNestLogger(logger),
    bodyParser: false,
  });
  configureApp(app, logger);
  await app.listen(port, '0.0.0.0');
  const address = app.getHttpServer().address() as { port: number };
  const url = `http://localhost:${address.port}`;
  const metricsPort = app.get(MetricsServer).port;
  logger.info(
    { port: address.port, metricsPort, api: `${url}/api/v1`, docs: `${url}/${DOCS_PATH}` },
    'gateway ready',
  );
}

bootstrap().catch((error: unknown) => {
  createLogger('gateway').fatal(
    { err: error instanceof Error ? { message: error.message, stack: error.stack } : String(error) },
    'gateway failed to start',
  );
  process.exit(1);
});
