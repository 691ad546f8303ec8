import { Module } from '@nestjs/common';
import { NotificationHealthController } from './notification-health.controller';

@Module({ controllers: [NotificationHealthController] })
export class HealthModule {}
