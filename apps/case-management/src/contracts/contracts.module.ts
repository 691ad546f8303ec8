import { Module } from '@nestjs/common';
import { ContractsController } from './contracts.controller';
import { ContractsRepository } from './contracts.repository';
import { ContractsService } from './contracts.service';

/** CASE-1: services, contracts, and the customers' read-only service settings. */
@Module({
  controllers: [ContractsController],
  providers: [ContractsRepository, ContractsService],
  exports: [ContractsRepository],
})
export class ContractsModule {}
