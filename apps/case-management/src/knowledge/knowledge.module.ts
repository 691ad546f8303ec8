import { Module } from '@nestjs/common';
import { ContractsModule } from '../contracts/contracts.module';
import { KnowledgeController } from './knowledge.controller';
import { KnowledgeRepository } from './knowledge.repository';
import { KnowledgeService } from './knowledge.service';

/** CASE-10: knowledge bases, categories and articles, scoped by the services a tenant contracts. */
@Module({
  imports: [ContractsModule],
  controllers: [KnowledgeController],
  providers: [KnowledgeRepository, KnowledgeService],
  exports: [KnowledgeRepository],
})
export class KnowledgeModule {}
