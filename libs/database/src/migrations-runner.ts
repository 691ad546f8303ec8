import { DataSource, MigrationExecutor } from 'typeorm';

export interface MigrateOptions {
  /**
   * `lock_timeout` of the migration's statements: a DDL statement waiting longer than this for a
   * table lock fails (and its migration rolls back) instead of queueing every query behind it.
   */
  lockTimeoutMs?: number;
  /** How long to wait for another runner holding the migration lock (default 10 minutes). */
  waitMs?: number;
  /** Called once when another runner holds the lock and this one waits. */
  onWait?: () => void;
}

const LOCK_POLL_MS = 250;

function lockKey(schema: string): string {
  return `mamori.migrations.${schema}`;
}

/** The names a service's schema must have applied: its migrations as the data source knows them. */
export function requiredMigrationNames(dataSource: DataSource): string[] {
  return dataSource.migrations.map((m) => m.name ?? m.constructor.name);
}

/**
 * Runs a service's pending migrations under a PostgreSQL advisory lock keyed by its schema, so any
 * number of runners (the migrate command in a deploy job, replicas started together in
 * development) may start at once: one migrates while the others wait, then find nothing to do.
 *
 * The lock and the migrations share ONE connection, so the lock is held by the session that
 * migrates (a session lock taken on another pooled connection protects nothing behind a
 * transaction-mode pooler) and is released with it should the process die. Waiting is a polling
 * `pg_try_advisory_lock`, so `lock_timeout` bounds only the migration's own table locks.
 * Resolves with the names of the migrations this runner applied.
 */
export async function runMigrationsLocked(
  dataSource: DataSource,
  schema: string,
  options: MigrateOptions = {},
): Promise<string[]> {
  const lockTimeoutMs = Math.max(0, Math.floor(options.lockTimeoutMs ?? 10_000));
  const deadline = Date.now() + (options.waitMs ?? 10 * 60_000);
  const runner = dataSource.createQueryRunner();
  await runner.connect();
  try {
    let waited = false;
    for (;;) {
      const [{ locked }] = await runner.query('SELECT pg_try_advisory_lock(hashtext($1)) AS locked', [
        lockKey(schema),
      ]);
      if (locked) {
        break;
      }
      if (Date.now() > deadline) {
        throw new Error(`another runner held the migration lock of ${schema} past the wait limit`);
      }
      if (!waited) {
        waited = true;
        options.onWait?.();
      }
      await new Promise((resolve) => setTimeout(resolve, LOCK_POLL_MS));
    }
    try {
      await runner.query(`SET lock_timeout = ${lockTimeoutMs}`);
      await runner.query(`CREATE SCHEMA IF NOT EXISTS "${schema}"`);
      const executor = new MigrationExecutor(dataSource, runner);
      executor.transaction = 'each';
      const applied = await executor.executePendingMigrations();
      return applied.map((m) => m.name);
    } finally {
      await runner.query('RESET lock_timeout').catch(() => undefined);
      await runner.query('SELECT pg_advisory_unlock(hashtext($1))', [lockKey(schema)]);
    }
  } finally {
    await runner.release();
  }
}

/** The required migrations not yet applied in the schema (all of them before its first). */
export async function pendingMigrationNames(dataSource: DataSource, schema: string): Promise<string[]> {
  const required = requiredMigrationNames(dataSource);
  const [{ table }] = await dataSource.query('SELECT to_regclass($1) IS NOT NULL AS table', [
    `"${schema}".migrations`,
  ]);
  if (!table) {
    return required;
  }
  const rows: { name: string }[] = await dataSource.query(`SELECT name FROM "${schema}".migrations`);
  const applied = new Set(rows.map((r) => r.name));
  return required.filter((name) => !applied.has(name));
}

export interface SchemaWaitOptions {
  timeoutMs: number;
  intervalMs?: number;
  /** Called on the first check that finds migrations missing, and then every minute. */
  onWaiting?: (pending: string[]) => void;
}

/**
 * Resolves once every migration this build of the service needs is applied to its schema (later
 * ones, of a newer build, may be there too: migrations stay backward compatible for one release).
 * A service waits here instead of migrating, so schema changes happen once, in the migrate job.
 */
export async function waitForSchema(
  dataSource: DataSource,
  schema: string,
  options: SchemaWaitOptions,
): Promise<void> {
  const deadline = Date.now() + options.timeoutMs;
  let lastReport = 0;
  for (;;) {
    const pending = await pendingMigrationNames(dataSource, schema).catch(() =>
      requiredMigrationNames(dataSource),
    );
    if (pending.length === 0) {
      return;
    }
    if (Date.now() - lastReport >= 60_000) {
      lastReport = Date.now();
      options.onWaiting?.(pending);
    }
    if (Date.now() > deadline) {
      throw new Error(
        `schema ${schema} still lacks ${pending.join(', ')} after ${Math.round(options.timeoutMs / 1000)} s: run the migrate command`,
      );
    }
    await new Promise((resolve) => setTimeout(resolve, options.intervalMs ?? 1_000));
  }
}
