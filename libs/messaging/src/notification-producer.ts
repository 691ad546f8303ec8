import { Inject, Injectable, OnApplicationShutdown } from '@nestjs/common';
import { Queue } from 'bullmq';
import Redis from 'ioredis';
import { APP_CONFIG, BaseEnv } from '@app/config';
import { JOB_PRIORITY, NotificationJob, NotificationQueue, queueForChannel } from '@app/contracts';
import { createRedis } from './redis';

export type JobPriority = keyof typeof JOB_PRIORITY;

/**
 * Puts messages on the notification service's queues (NOTIF-1). The job id is the message id, so a
 * message queued twice is delivered once (NOTIF-4).
 */
@Injectable()
export class NotificationProducer implements OnApplicationShutdown {
  private readonly connection: Redis;
  private readonly queues: Record<NotificationQueue, Queue>;

  constructor(@Inject(APP_CONFIG) config: BaseEnv) {
    this.connection = createRedis(config.REDIS_URL);
    const opts = { connection: this.connection, prefix: config.REDIS_PREFIX };
    this.queues = {
      [NotificationQueue.Sms]: new Queue(NotificationQueue.Sms, opts),
      [NotificationQueue.Email]: new Queue(NotificationQueue.Email, opts),
    };
  }

  async enqueue(job: NotificationJob, priority: JobPriority): Promise<void> {
    const queue = this.queues[queueForChannel(job.data.channel)];
    await queue.add(job.name, job.data, {
      jobId: job.data.messageId,
      priority: JOB_PRIORITY[priority],
      // The job's data holds the code or link; keep nothing of it once the job is done.
      removeOnComplete: true,
      removeOnFail: true,
    });
  }

  async onApplicationShutdown(): Promise<void> {
    await Promise.all(Object.values(this.queues).map((q) => q.close()));
    this.connection.disconnect();
  }
}
