import { Module } from '@nestjs/common';
import { caseManagementEnvSchema } from '@app/config';
import { DatabaseModule } from '@app/database';
import { ServiceCoreModule } from '@app/messaging';
import {
  CASE_MANAGEMENT_ENTITIES,
  CASE_MANAGEMENT_MIGRATIONS,
  CASE_MANAGEMENT_SCHEMA,
} from './case-management.entities';
import { AttachmentsModule } from './attachments/attachments.module';
import { AnnouncementsModule } from './announcements/announcements.module';
import { CasesModule } from './cases/cases.module';
import { CategoriesModule } from './categories/categories.module';
import { CommonModule } from './common/common.module';
import { ContractsModule } from './contracts/contracts.module';
import { HealthModule } from './health/health.module';
import { IntegrationsModule } from './integrations/integrations.module';
import { HomeModule } from './home/home.module';
import { KnowledgeModule } from './knowledge/knowledge.module';
import { SavedFiltersModule } from './saved-filters/saved-filters.module';
import { WorkRequestsModule } from './work-requests/work-requests.module';

/**
 * The case management service (SPEC §4): services and contracts, categories, cases with their
 * activity, knowledge, announcements, work requests and the home page. Its own schema with the outbox, so every change records its fact in its transaction.
 */
@Module({
  imports: [
    ServiceCoreModule.forService('case-management', caseManagementEnvSchema),
    DatabaseModule.forService({
      schema: CASE_MANAGEMENT_SCHEMA,
      entities: CASE_MANAGEMENT_ENTITIES,
      migrations: CASE_MANAGEMENT_MIGRATIONS,
    }),
    CommonModule,
    ContractsModule,
    CategoriesModule,
    CasesModule,
    SavedFiltersModule,
    IntegrationsModule,
    AttachmentsModule,
    KnowledgeModule,
    AnnouncementsModule,
    HomeModule,
    WorkRequestsModule,
    HealthModule,
  ],
})
export class CaseManagementModule {}
