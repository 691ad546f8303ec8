import { Module } from '@nestjs/common';
import { AuditEventRepository } from './audit-event.repository';

/** The append-only store, shared by ingest (writes) and query (reads). */
@Module({ providers: [AuditEventRepository], exports: [AuditEventRepository] })
export class StoreModule {}
