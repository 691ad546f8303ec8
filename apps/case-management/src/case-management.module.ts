import { Module } from '@nestjs/common';
import { caseManagementEnvSchema } from '@app/config';
import { DatabaseModule } from '@app/database';
import { ServiceCoreModule } from '@app/messaging';
import {
  CASE_MANAGEMENT_ENTITIES,
  CASE_MANAGEMENT_MIGRATIONS,
  CASE_MANAGEMENT_SCHEMA,
} from './case-management.entities';
import { HealthModule } from './health/health.module';

/**
 * The case management service (SPEC §4). A skeleton for now: its own schema with the outbox, so the
 * features that follow record their facts transactionally from the first change, and its health.
 */
@Module({
  imports: [
    ServiceCoreModule.forService('case-management', caseManagementEnvSchema),
    DatabaseModule.forService({
      schema: CASE_MANAGEMENT_SCHEMA,
      entities: CASE_MANAGEMENT_ENTITIES,
      migrations: CASE_MANAGEMENT_MIGRATIONS,
    }),
    HealthModule,
  ],
})
export class CaseManagementModule {}
