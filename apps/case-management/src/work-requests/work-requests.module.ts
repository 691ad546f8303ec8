import { Module } from '@nestjs/common';
import { NotificationProducer } from '@app/messaging';
import { AttachmentsModule } from '../attachments/attachments.module';
import { CasesModule } from '../cases/cases.module';
import { CategoriesModule } from '../categories/categories.module';
import { ContractsModule } from '../contracts/contracts.module';
import { WorkRequestMail } from './work-request-mail';
import { WorkRequestsController } from './work-requests.controller';
import { WorkRequestsRepository } from './work-requests.repository';
import { WorkRequestsService } from './work-requests.service';

/** CASE-7: the work request catalogue, customers' requests and their acceptance into cases. */
@Module({
  imports: [ContractsModule, CategoriesModule, CasesModule, AttachmentsModule],
  controllers: [WorkRequestsController],
  providers: [WorkRequestsRepository, WorkRequestsService, WorkRequestMail, NotificationProducer],
})
export class WorkRequestsModule {}
