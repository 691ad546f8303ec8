import { Module } from '@nestjs/common';
import { AttachmentStoreModule } from '@app/attachment-store';
import { CasesModule } from '../cases/cases.module';
import { AttachmentsController } from './attachments.controller';
import { AttachmentsRepository } from './attachments.repository';
import { AttachmentsService } from './attachments.service';
import { OrphanAttachmentsSweeper } from './orphan-attachments.sweeper';

/** CASE-6 attachments: who may attach and download, their records, and the sweep of orphaned bytes. */
@Module({
  imports: [CasesModule, AttachmentStoreModule],
  controllers: [AttachmentsController],
  providers: [AttachmentsRepository, AttachmentsService, OrphanAttachmentsSweeper],
  exports: [AttachmentsRepository],
})
export class AttachmentsModule {}
