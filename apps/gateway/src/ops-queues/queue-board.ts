import { createBullBoard } from '@bull-board/api';
import { BullMQAdapter } from '@bull-board/api/bullMQAdapter';
import { ExpressAdapter } from '@bull-board/express';
import { Queue } from 'bullmq';
import type { RequestHandler } from 'express';
import type Redis from 'ioredis';
import { NOTIFICATION_QUEUES } from '@app/contracts';

/** Where the dashboard answers, under the gateway's API prefix. */
export const QUEUE_BOARD_PATH = 'ops/queues';

/**
 * What the dashboard shows of a job's data: what it is and where it stands, never what it says. A
 * notification job holds a security code or a reset link in clear, and the recipients' addresses.
 */
export function boardJobData(data: unknown): Record<string, unknown> {
  const d = (typeof data === 'object' && data !== null ? data : {}) as Record<string, unknown>;
  return {
    messageId: d.messageId,
    channel: d.channel,
    template: d.template,
    language: d.language,
    recipients: Array.isArray(d.to) ? d.to.length : 0,
    expiresAt: d.expiresAt,
    correlationId: d.correlationId,
  };
}

/**
 * Bull Board over the notification queues, read through the gateway's Redis: read-only (no retry,
 * clean or pause from a browser; the notification service decides retries), job data reduced to
 * `boardJobData`. `basePath` is the full path it is mounted at, for the UI's own links.
 */
export function createQueueBoard(
  redis: Redis,
  redisPrefix: string,
  basePath: string,
): { router: RequestHandler; queues: Queue[] } {
  const queues = NOTIFICATION_QUEUES.map((name) => {
    const queue = new Queue(name, { connection: redis, prefix: redisPrefix });
    queue.on('error', () => undefined);
    return queue;
  });
  const serverAdapter = new ExpressAdapter();
  serverAdapter.setBasePath(basePath);
  createBullBoard({
    queues: queues.map((queue) => {
      const adapter = new BullMQAdapter(queue, { readOnlyMode: true, allowRetries: false });
      adapter.setFormatter('data', boardJobData);
      adapter.setFormatter('returnValue', () => null);
      return adapter;
    }),
    serverAdapter,
    options: { uiConfig: { boardTitle: 'Mamori queues' } },
  });
  return { router: serverAdapter.getRouter() as RequestHandler, queues };
}
