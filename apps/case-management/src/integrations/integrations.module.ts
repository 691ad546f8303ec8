import { Module } from '@nestjs/common';
import { NotificationProducer } from '@app/messaging';
import { CasesModule } from '../cases/cases.module';
import { CategoriesModule } from '../categories/categories.module';
import { ContractsModule } from '../contracts/contracts.module';
import { AlertMail } from './alert-mail';
import { AlertQueueConsumer } from './alert-queue.consumer';
import { AlertsService } from './alerts.service';
import { ApiKeyGenerator } from './api-key.generator';
import { IntegrationKeysService } from './integration-keys.service';
import { IntegrationsController } from './integrations.controller';
import { IntegrationsRepository } from './integrations.repository';

/** CASE-9: integrations' API keys, and alert cases, direct or queued while this service was away. */
@Module({
  imports: [CasesModule, ContractsModule, CategoriesModule],
  controllers: [IntegrationsController],
  providers: [
    IntegrationsRepository,
    IntegrationKeysService,
    ApiKeyGenerator,
    AlertsService,
    AlertMail,
    AlertQueueConsumer,
    NotificationProducer,
  ],
})
export class IntegrationsModule {}
