import { DataSourceOptions } from 'typeorm';
import { ServiceName } from '@app/contracts';
import { AUDIT_ENTITIES, AUDIT_MIGRATIONS, AUDIT_SCHEMA } from '../../../audit/src/audit.entities';
import { AUTH_ENTITIES, AUTH_MIGRATIONS, AUTH_SCHEMA } from '../../../auth/src/auth.entities';
import {
  CASE_MANAGEMENT_ENTITIES,
  CASE_MANAGEMENT_MIGRATIONS,
  CASE_MANAGEMENT_SCHEMA,
} from '../../../case-management/src/case-management.entities';
import {
  NOTIFICATION_ENTITIES,
  NOTIFICATION_MIGRATIONS,
  NOTIFICATION_SCHEMA,
} from '../../../notification/src/notification.entities';

export interface ServiceSchema {
  service: ServiceName;
  schema: string;
  entities: NonNullable<DataSourceOptions['entities']>;
  migrations: NonNullable<DataSourceOptions['migrations']>;
}

/** Every service's schema and migrations: what the migrate command brings up to date, in this order. */
export const SERVICE_SCHEMAS: readonly ServiceSchema[] = [
  { service: 'auth', schema: AUTH_SCHEMA, entities: AUTH_ENTITIES, migrations: AUTH_MIGRATIONS },
  {
    service: 'notification',
    schema: NOTIFICATION_SCHEMA,
    entities: NOTIFICATION_ENTITIES,
    migrations: NOTIFICATION_MIGRATIONS,
  },
  {
    service: 'case-management',
    schema: CASE_MANAGEMENT_SCHEMA,
    entities: CASE_MANAGEMENT_ENTITIES,
    migrations: CASE_MANAGEMENT_MIGRATIONS,
  },
  { service: 'audit', schema: AUDIT_SCHEMA, entities: AUDIT_ENTITIES, migrations: AUDIT_MIGRATIONS },
];
