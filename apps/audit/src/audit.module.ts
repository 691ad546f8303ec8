import { Module } from '@nestjs/common';
import { DatabaseModule } from '@app/database';
import { ServiceCoreModule } from '@app/messaging';
import { auditServiceEnvSchema } from './audit-env.schema';
import { AUDIT_ENTITIES, AUDIT_MIGRATIONS, AUDIT_SCHEMA } from './audit.entities';
import { CheckpointModule } from './checkpoint/checkpoint.module';
import { HealthModule } from './health/health.module';
import { IngestModule } from './ingest/ingest.module';
import { NatsHealthIndicator } from './ingest/nats-health.indicator';
import { QueryModule } from './query/query.module';

/**
 * The audit service (SPEC §5): consumes the AUDIT stream durably and idempotently into an
 * append-only, hash-chained trail, and answers tenant-scoped queries over it.
 */
@Module({
  imports: [
    ServiceCoreModule.forService('audit', auditServiceEnvSchema),
    DatabaseModule.forService({
      schema: AUDIT_SCHEMA,
      entities: AUDIT_ENTITIES,
      migrations: AUDIT_MIGRATIONS,
      extraHealthIndicators: [NatsHealthIndicator],
      // AUDIT-3: the service works as a role that can only INSERT and SELECT the trail.
      runtimeUrlVariable: 'AUDIT_DATABASE_URL',
    }),
    CheckpointModule,
    IngestModule,
    QueryModule,
    HealthModule,
  ],
})
export class AuditModule {}
