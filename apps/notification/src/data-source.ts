import 'reflect-metadata';
import { DataSource } from 'typeorm';
import { serviceDataSourceOptions } from '@app/database';
import { NOTIFICATION_ENTITIES, NOTIFICATION_MIGRATIONS, NOTIFICATION_SCHEMA } from './notification.entities';

/** For the TypeORM CLI (`typeorm migration:generate -d dist/apps/notification/src/data-source.js`). */
export default new DataSource(
  serviceDataSourceOptions({
    url: process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/mamori',
    schema: NOTIFICATION_SCHEMA,
    entities: NOTIFICATION_ENTITIES,
    migrations: NOTIFICATION_MIGRATIONS,
  }),
);
