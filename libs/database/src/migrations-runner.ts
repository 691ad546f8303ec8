import { DataSource } from 'typeorm';

/**
 * Runs a service's migrations under a PostgreSQL advisory lock keyed by its schema, so N replicas
 * can start at once and exactly one migrates while the others wait and then find nothing to do.
 */
export async function runMigrationsLocked(dataSource: DataSource, schema: string): Promise<string[]> {
  const runner = dataSource.createQueryRunner();
  await runner.connect();
  try {
    await runner.query('SELECT pg_advisory_lock(hashtext($1))', [`mamori.migrations.${schema}`]);
    try {
      await runner.query(`CREATE SCHEMA IF NOT EXISTS "${schema}"`);
      const applied = await dataSource.runMigrations({ transaction: 'each' });
      return applied.map((m) => m.name);
    } finally {
      await runner.query('SELECT pg_advisory_unlock(hashtext($1))', [`mamori.migrations.${schema}`]);
    }
  } finally {
    await runner.release();
  }
}
