import { Module } from '@nestjs/common';
import { CategoriesModule } from '../categories/categories.module';
import { ContractsModule } from '../contracts/contracts.module';
import { NotificationProducer } from '@app/messaging';
import { CaseMail } from './case-mail';
import { CasesController } from './cases.controller';
import { CasesRepository } from './cases.repository';
import { CasesService } from './cases.service';

/** CASE-2…CASE-8: cases, their status machine, activity and the case list. */
@Module({
  imports: [ContractsModule, CategoriesModule],
  controllers: [CasesController],
  providers: [CasesRepository, CasesService, CaseMail, NotificationProducer],
  exports: [CasesRepository],
})
export class CasesModule {}
