import { Module } from '@nestjs/common';
import { ContractsModule } from '../contracts/contracts.module';
import { KnowledgeModule } from '../knowledge/knowledge.module';
import { AnnouncementsController } from './announcements.controller';
import { AnnouncementsRepository } from './announcements.repository';
import { AnnouncementsService } from './announcements.service';

/** CASE-11: announcements with their time window, audience and per-user dismissals. */
@Module({
  imports: [ContractsModule, KnowledgeModule],
  controllers: [AnnouncementsController],
  providers: [AnnouncementsRepository, AnnouncementsService],
  exports: [AnnouncementsService],
})
export class AnnouncementsModule {}
