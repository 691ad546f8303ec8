import { DataSourceOptions } from 'typeorm';
import { CreateCaseManagementSchema1763856000000 } from './migrations/1763856000000-CreateCaseManagementSchema';
import { OutboxParking1764720000000 } from './migrations/1764720000000-OutboxParking';

export const CASE_MANAGEMENT_SCHEMA = 'case_management';

/** No entities yet: cases, work requests, knowledge and announcements come with their issues. */
export const CASE_MANAGEMENT_ENTITIES: NonNullable<DataSourceOptions['entities']> = [];

/** In order; a new migration is appended here. */
export const CASE_MANAGEMENT_MIGRATIONS = [
  CreateCaseManagementSchema1763856000000,
  OutboxParking1764720000000,
];
