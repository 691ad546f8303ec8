import { Module } from '@nestjs/common';
import { StoreModule } from '../store/store.module';
import { AuditEventsController } from './audit-events.controller';
import { AuditQueryService } from './audit-query.service';

@Module({ imports: [StoreModule], controllers: [AuditEventsController], providers: [AuditQueryService] })
export class QueryModule {}
