import 'reflect-metadata';
import type { Server } from 'node:http';
import { NestFactory } from '@nestjs/core';
import { NestExpressApplication } from '@nestjs/platform-express';
import type { NextFunction, Request, Response } from 'express';
import { ConfigError, gatewayEnvSchema, loadConfig } from '@app/config';
import { AppLogger, createLogger, LOGGER, PinoNestLogger } from '@app/observability';
import { configureApp, DOCS_PATH } from './bootstrap/configure-app';
import { GracefulHttpShutdown } from './bootstrap/graceful-http-shutdown';
import { GatewayModule } from './gateway.module';
import { MetricsServer } from './metrics/metrics-server';

/** Exit status for a configuration error (sysexits EX_CONFIG), as the back-end services use. */
const EXIT_CONFIG = 78;
/** The longest a request may take to arrive: a 2 GiB upload at 1 MB/s, with room. */
const UPLOAD_REQUEST_TIMEOUT_MS = 3 * 60 * 60 * 1000;
/** A connection silent for this long (no byte either way) is ended. */
const SOCKET_IDLE_MS = 2 * 60 * 1000;

async function bootstrap(): Promise<void> {
  const logger = createLogger('gateway');
  let port: number;
  let graceMs: number;
  try {
    // Validated here first, so a bad environment ends with its clear message instead of a stack.
    const env = loadConfig(gatewayEnvSchema);
    port = env.PORT;
    if (env.RATE_LIMIT_PER_MINUTE !== undefined) {
      logger.warn('RATE_LIMIT_PER_MINUTE is deprecated: it stands for every RATE_LIMIT_* that is not set');
    }
    graceMs = env.SHUTDOWN_GRACE_SECONDS * 1000;
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
  configureApp(app, app.get<AppLogger>(LOGGER));
  // Node ends any request still arriving after 5 minutes; a 2 GiB attachment (CASE-6) over an
  // ordinary line takes longer. Headers must still arrive within headersTimeout (60 s), and a
  // connection that sends nothing at all for SOCKET_IDLE_MS is dropped, so a stalled client cannot
  // hold a socket for the whole window.
  const server = app.getHttpServer() as Server;
  server.requestTimeout = UPLOAD_REQUEST_TIMEOUT_MS;
  server.timeout = SOCKET_IDLE_MS;
  const shutdown = new GracefulHttpShutdown(app, graceMs, logger);
  app.use((req: Request, res: Response, next: NextFunction) => shutdown.use(req, res, next));
  await app.listen(port, '0.0.0.0');
  shutdown.onSignals();
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
