import { Module } from '@nestjs/common';
import { CaseManagementHealthController } from './case-management-health.controller';

@Module({ controllers: [CaseManagementHealthController] })
export class HealthModule {}
