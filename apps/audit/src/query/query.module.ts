import { Module } from '@nestjs/common';
import { AuditEventQueryRepository } from './audit-event-query.repository';
import { AuditEventsController } from './audit-events.controller';
import { AuditQueryService } from './audit-query.service';

@Module({
  controllers: [AuditEventsController],
  providers: [AuditEventQueryRepository, AuditQueryService],
})
export class QueryModule {}
