import { Module } from '@nestjs/common';
import { ContractsModule } from '../contracts/contracts.module';
import { KnowledgeFilesRepository } from './knowledge-files.repository';
import { KnowledgeFilesService } from './knowledge-files.service';
import { KnowledgeFilesSweeper } from './knowledge-files.sweeper';
import { KnowledgeController } from './knowledge.controller';
import { KnowledgeRepository } from './knowledge.repository';
import { KnowledgeService } from './knowledge.service';

/**
 * CASE-10: knowledge bases, categories and articles with their files (in the attachments' store),
 * scoped by the services a tenant contracts.
 */
@Module({
  imports: [ContractsModule],
  controllers: [KnowledgeController],
  providers: [
    KnowledgeRepository,
    KnowledgeService,
    KnowledgeFilesRepository,
    KnowledgeFilesService,
    KnowledgeFilesSweeper,
  ],
  exports: [KnowledgeRepository],
})
export class KnowledgeModule {}
