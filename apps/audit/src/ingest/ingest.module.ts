import { Global, Module } from '@nestjs/common';
import { CheckpointModule } from '../checkpoint/checkpoint.module';
import { PartitionMaintainer } from '../store/partition-maintainer';
import { StoreModule } from '../store/store.module';
import { AuditIngestService } from './audit-ingest.service';
import { AuditStreamConsumer } from './audit-stream.consumer';

/**
 * The stream consumer. Global because the database module builds the readiness checks, and the
 * NATS check asks this consumer's connection.
 */
@Global()
@Module({
  imports: [StoreModule, CheckpointModule],
  providers: [AuditIngestService, AuditStreamConsumer, PartitionMaintainer],
  exports: [AuditStreamConsumer],
})
export class IngestModule {}
