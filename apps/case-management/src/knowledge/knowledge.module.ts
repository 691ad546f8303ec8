import { Module } from '@nestjs/common';
import { ContractsModule } from '../contracts/contracts.module';
import { ArticleAttachments, NoArticleAttachments } from './article-attachments';
import { KnowledgeController } from './knowledge.controller';
import { KnowledgeRepository } from './knowledge.repository';
import { KnowledgeService } from './knowledge.service';

/** CASE-10: knowledge bases, categories and articles, scoped by the services a tenant contracts. */
@Module({
  imports: [ContractsModule],
  controllers: [KnowledgeController],
  providers: [
    KnowledgeRepository,
    KnowledgeService,
    // The attachments' store replaces this provider when articles take files.
    { provide: ArticleAttachments, useClass: NoArticleAttachments },
  ],
  exports: [KnowledgeRepository],
})
export class KnowledgeModule {}
