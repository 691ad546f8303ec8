import 'reflect-metadata';
import { DataSource } from 'typeorm';
import { serviceDataSourceOptions } from '@app/database';
import { AUDIT_ENTITIES, AUDIT_MIGRATIONS, AUDIT_SCHEMA } from './audit.entities';

/** For the TypeORM CLI (`dist/apps/audit/src/data-source.js`), as the schema owner. */
export default new DataSource(
  serviceDataSourceOptions({
    url: process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/mamori',
    schema: AUDIT_SCHEMA,
    entities: AUDIT_ENTITIES,
    migrations: AUDIT_MIGRATIONS,
  }),
);
