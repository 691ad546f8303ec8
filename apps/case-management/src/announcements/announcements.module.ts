import { Module } from '@nestjs/common';
import { NotificationProducer } from '@app/messaging';
import { ContractsModule } from '../contracts/contracts.module';
import { KnowledgeModule } from '../knowledge/knowledge.module';
import { AnnouncementMail } from './announcement-mail';
import { AnnouncementsController } from './announcements.controller';
import { AnnouncementsRepository } from './announcements.repository';
import { AnnouncementsService } from './announcements.service';

/** CASE-11: announcements with their time window, audience, per-user dismissals and e-mail. */
@Module({
  imports: [ContractsModule, KnowledgeModule],
  controllers: [AnnouncementsController],
  providers: [AnnouncementsRepository, AnnouncementsService, AnnouncementMail, NotificationProducer],
  exports: [AnnouncementsService],
})
export class AnnouncementsModule {}
