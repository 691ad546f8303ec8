import { DynamicModule, Module } from '@nestjs/common';
import { NotificationEnv, notificationEnvSchema } from '@app/config';
import { DatabaseModule } from '@app/database';
import { ServiceCoreModule } from '@app/messaging';
import { BouncesModule } from './bounces/bounces.module';
import { DeliveryModule } from './delivery/delivery.module';
import { DevOutboxModule } from './dev-outbox/dev-outbox.module';
import { HealthModule } from './health/health.module';
import { MessagesModule } from './messages/messages.module';
import { NOTIFICATION_ENTITIES, NOTIFICATION_MIGRATIONS, NOTIFICATION_SCHEMA } from './notification.entities';
import { QueueMetricsModule } from './queue-metrics/queue-metrics.module';
import { RedisHealthIndicator } from './redis/redis.health-indicator';
import { RedisModule } from './redis/redis.module';
import { SweeperModule } from './sweeper/sweeper.module';

/**
 * The notification service (SPEC §3): BullMQ workers for SMS and e-mail, providers, templates,
 * delivery records, the development outbox.
 *
 * A dynamic module so tests can start it with configuration overrides (small retry delays, their own
 * Redis prefix) without touching process.env; `main.ts` uses `NotificationModule.forRoot()`.
 */
@Module({})
export class NotificationModule {
  static forRoot(overrides: Partial<NotificationEnv> = {}): DynamicModule {
    return {
      module: NotificationModule,
      imports: [
        ServiceCoreModule.forService('notification', notificationEnvSchema, overrides),
        DatabaseModule.forService({
          schema: NOTIFICATION_SCHEMA,
          entities: NOTIFICATION_ENTITIES,
          migrations: NOTIFICATION_MIGRATIONS,
          extraHealthIndicators: [RedisHealthIndicator],
        }),
        RedisModule,
        QueueMetricsModule,
        DevOutboxModule,
        DeliveryModule,
        SweeperModule,
        MessagesModule,
        BouncesModule,
        HealthModule,
      ],
    };
  }
}
