import 'reflect-metadata';
import { DataSource } from 'typeorm';
import { serviceDataSourceOptions } from '@app/database';
import { AUTH_ENTITIES, AUTH_MIGRATIONS, AUTH_SCHEMA } from './auth.entities';

/** For the TypeORM CLI (`typeorm migration:generate -d dist/apps/auth/src/data-source.js`). */
export default new DataSource(
  serviceDataSourceOptions({
    url: process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/mamori',
    schema: AUTH_SCHEMA,
    entities: AUTH_ENTITIES,
    migrations: AUTH_MIGRATIONS,
  }),
);
