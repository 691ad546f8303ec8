import { randomUUID } from 'node:crypto';
import { Client } from 'pg';
import { DataSource } from 'typeorm';
import { runMigrationsLocked, serviceDataSourceOptions } from '@app/database';
import { AUDIT_ENTITIES, AUDIT_MIGRATIONS, AUDIT_SCHEMA } from '@app/audit/audit.entities';
import { testEnv } from './audit-harness';

/** The same server URL with another database name. */
export function withDatabase(url: string, name: string): string {
  const u = new URL(url);
  u.pathname = `/${name}`;
  return u.toString();
}

/**
 * The runtime role's URL as `npm test` made it (a login role of this run in `mamori_audit_writer`).
 * The tests of AUDIT-3 need it: without it they would only test the owner.
 */
export function runtimeUrl(database: string): string {
  const url = process.env.AUDIT_DATABASE_URL;
  if (!url) {
    throw new Error('AUDIT_DATABASE_URL is not set: run the tests with `npm test`');
  }
  return withDatabase(url, database);
}

/**
 * A database of a test file's own, migrated as the owner (DATABASE_URL), for tests that tamper with
 * rows: what no other test sharing the run's database should ever see. Dropped by `drop()`.
 */
export class OwnAuditDatabase {
  readonly name = `mamori_audit_${randomUUID().replace(/-/g, '').slice(0, 12)}`;
  readonly ownerUrl = withDatabase(testEnv.databaseUrl, this.name);

  get runtimeUrl(): string {
    return runtimeUrl(this.name);
  }

  /** `migrations`: the ones to apply, all of them unless given (a migration's own test stops before it). */
  async create(migrations: typeof AUDIT_MIGRATIONS = AUDIT_MIGRATIONS): Promise<void> {
    const admin = new Client({ connectionString: testEnv.databaseUrl });
    await admin.connect();
    await admin.query(`CREATE DATABASE ${this.name}`);
    await admin.end();
    const owner = await this.dataSource(this.ownerUrl, migrations).initialize();
    try {
      await runMigrationsLocked(owner, AUDIT_SCHEMA);
    } finally {
      await owner.destroy();
    }
  }

  /** A data source as the audit service opens it (entities, schema), on the given role's URL. */
  dataSource(url: string, migrations: typeof AUDIT_MIGRATIONS = AUDIT_MIGRATIONS): DataSource {
    return new DataSource(
      serviceDataSourceOptions({
        url,
        schema: AUDIT_SCHEMA,
        entities: AUDIT_ENTITIES,
        migrations,
      }),
    );
  }

  async drop(): Promise<void> {
    const admin = new Client({ connectionString: testEnv.databaseUrl });
    await admin.connect();
    await admin.query(`DROP DATABASE IF EXISTS ${this.name} WITH (FORCE)`);
    await admin.end();
  }
}
