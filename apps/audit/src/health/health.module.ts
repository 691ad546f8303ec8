import { Module } from '@nestjs/common';
import { AuditHealthController } from './audit-health.controller';

@Module({ controllers: [AuditHealthController] })
export class HealthModule {}
