import 'reflect-metadata';
import { DataSource } from 'typeorm';
import { serviceDataSourceOptions } from '@app/database';
import {
  CASE_MANAGEMENT_ENTITIES,
  CASE_MANAGEMENT_MIGRATIONS,
  CASE_MANAGEMENT_SCHEMA,
} from './case-management.entities';

/** For the TypeORM CLI (`typeorm migration:generate -d dist/apps/case-management/src/data-source.js`). */
export default new DataSource(
  serviceDataSourceOptions({
    url: process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/mamori',
    schema: CASE_MANAGEMENT_SCHEMA,
    entities: CASE_MANAGEMENT_ENTITIES,
    migrations: CASE_MANAGEMENT_MIGRATIONS,
  }),
);
