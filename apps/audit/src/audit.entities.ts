import { CreateAuditSchema1763856000000 } from './migrations/1763856000000-CreateAuditSchema';
import { AuditEventRecord } from './store/audit-event-record.entity';
import { OutboxNotifyTrigger1763856000001 } from './migrations/1763856000001-OutboxNotifyTrigger';
import { GrantAuditWriter1764700000000 } from './migrations/1764700000000-GrantAuditWriter';
import { OutboxParking1764720000000 } from './migrations/1764720000000-OutboxParking';
import { PartitionAuditEvents1764800000000 } from './migrations/1764800000000-PartitionAuditEvents';
import { ScopeAuditEvents1764900000000 } from './migrations/1764900000000-ScopeAuditEvents';
import { IndexTenantTypeAuditEvents1765000000000 } from './migrations/1765000000000-IndexTenantTypeAuditEvents';
import { AppendEventsFunction1765100000000 } from './migrations/1765100000000-AppendEventsFunction';

export const AUDIT_SCHEMA = 'audit';

export const AUDIT_ENTITIES = [AuditEventRecord];

/** In order; a new migration is appended here. */
export const AUDIT_MIGRATIONS = [
  CreateAuditSchema1763856000000,
  OutboxNotifyTrigger1763856000001,
  GrantAuditWriter1764700000000,
  OutboxParking1764720000000,
  PartitionAuditEvents1764800000000,
  ScopeAuditEvents1764900000000,
  IndexTenantTypeAuditEvents1765000000000,
  AppendEventsFunction1765100000000,
];
