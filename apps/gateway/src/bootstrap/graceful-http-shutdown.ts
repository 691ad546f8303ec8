import { INestApplication } from '@nestjs/common';
import type { NextFunction, Request, Response } from 'express';
import type { Server } from 'node:http';
import type { Logger } from 'pino';

/** How often idle keep-alive connections are closed while the gateway stops. */
const IDLE_SWEEP_MS = 200;

/**
 * The gateway's stop on SIGTERM (or Ctrl-C): it stops accepting connections, answers the requests
 * it has with `Connection: close` and closes keep-alive connections as soon as they are idle (a
 * client that keeps sending would otherwise hold the process open), then exits; past the grace
 * period it closes what is left and exits anyway.
 */
export class GracefulHttpShutdown {
  private stopping = false;

  constructor(
    private readonly app: INestApplication,
    private readonly graceMs: number,
    private readonly logger: Logger,
  ) {}

  /** Middleware: once stopping, every answer tells the client to open a new connection elsewhere. */
  use(_req: Request, res: Response, next: NextFunction): void {
    if (this.stopping) {
      res.setHeader('Connection', 'close');
    }
    next();
  }

  onSignals(): void {
    for (const signal of ['SIGTERM', 'SIGINT'] as const) {
      process.once(signal, (received) => void this.stop(received));
    }
  }

  async stop(signal: NodeJS.Signals): Promise<void> {
    if (this.stopping) {
      return;
    }
    this.stopping = true;
    const started = Date.now();
    const server = this.app.getHttpServer() as Server;
    this.logger.info({ signal, graceSeconds: this.graceMs / 1000 }, 'stopping: answering requests in hand');
    setTimeout(() => {
      this.logger.error('grace period over; closing the connections left');
      server.closeAllConnections();
      process.exit(1);
    }, this.graceMs).unref();
    const sweep = setInterval(() => server.closeIdleConnections(), IDLE_SWEEP_MS);
    server.closeIdleConnections();
    // Nest closes the HTTP server (no new connections; resolves when the last one ended) and then
    // the RPC client and Redis.
    await this.app.close();
    clearInterval(sweep);
    this.logger.info({ ms: Date.now() - started }, 'stopped');
    process.exit(0);
  }
}
