import { Global, Module } from '@nestjs/common';
import { NotificationMetrics } from './notification-metrics';

/** The queue and provider metrics of `/metrics`, for the workers and the delivery service. */
@Global()
@Module({ providers: [NotificationMetrics], exports: [NotificationMetrics] })
export class QueueMetricsModule {}
