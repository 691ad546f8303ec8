import { randomBytes } from 'node:crypto';
import { INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { Client } from 'pg';
import { DataSource, MigrationInterface, QueryRunner } from 'typeorm';
import { runMigrationsLocked, serviceDataSourceOptions } from '@app/database';
import { testEnv } from '@app/testing';
import { MigrateCommand } from '@app/cli/migrate/migrate.command';
import { SERVICE_SCHEMAS } from '@app/cli/migrate/service-schemas';

jest.setTimeout(90_000);

const env = testEnv();
const suffix = randomBytes(4).toString('hex');

function urlOf(database: string): string {
  const url = new URL(env.DATABASE_URL);
  url.pathname = `/${database}`;
  return url.toString();
}

async function admin<T>(work: (client: Client) => Promise<T>): Promise<T> {
  const client = new Client({ connectionString: env.DATABASE_URL });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

/** A database of the test's own: the run's database already has every service schema migrated. */
async function freshDatabase(name: string): Promise<string> {
  await admin((c) => c.query(`CREATE DATABASE "${name}"`));
  return urlOf(name);
}

async function dropDatabase(name: string): Promise<void> {
  await admin((c) => c.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`));
}

function lines(): { out: string[]; err: string[]; output: { out(l: string): void; err(l: string): void } } {
  const out: string[] = [];
  const err: string[] = [];
  return { out, err, output: { out: (l) => out.push(l), err: (l) => err.push(l) } };
}

describe('migrations: one runner, one connection, services that wait', () => {
  it('runs a migration under the advisory lock on its own connection, with lock_timeout; concurrent runners wait', async () => {
    const schema = `mig_lock_${suffix}`;
    class SlowMigration1700000000000 implements MigrationInterface {
      name = 'SlowMigration1700000000000';
      async up(q: QueryRunner): Promise<void> {
        await q.query(`CREATE TABLE "${schema}".seen (pid int, lock_timeout text, holds_lock boolean)`);
        await q.query('SELECT pg_sleep(1)');
        await q.query(
          `INSERT INTO "${schema}".seen SELECT pg_backend_pid(), current_setting('lock_timeout'),
             EXISTS (SELECT 1 FROM pg_locks WHERE locktype = 'advisory' AND pid = pg_backend_pid() AND granted)`,
        );
      }
      async down(): Promise<void> {}
    }
    const sources = Array.from(
      { length: 3 },
      () =>
        new DataSource(
          serviceDataSourceOptions({
            url: env.DATABASE_URL,
            schema,
            entities: [],
            migrations: [SlowMigration1700000000000],
          }),
        ),
    );
    await Promise.all(sources.map((s) => s.initialize()));
    try {
      const waits: number[] = [];
      const started = Date.now();
      const results = await Promise.all(
        sources.map((source) =>
          runMigrationsLocked(source, schema, {
            lockTimeoutMs: 1500,
            onWait: () => waits.push(Date.now()),
          }).then((applied) => ({ applied, tookMs: Date.now() - started })),
        ),
      );
      expect(results.map((r) => r.applied).sort()).toEqual([[], [], ['SlowMigration1700000000000']]);
      // The two that found the lock taken waited for the one-second migration, then found nothing to do.
      expect(waits).toHaveLength(2);
      for (const r of results) {
        expect(r.tookMs).toBeGreaterThanOrEqual(900);
      }
      const seen = await sources[0].query(`SELECT pid, lock_timeout, holds_lock FROM "${schema}".seen`);
      expect(seen).toEqual([{ pid: expect.any(Number), lock_timeout: '1500ms', holds_lock: true }]);
      const [{ n }] = await sources[0].query(`SELECT count(*)::int AS n FROM "${schema}".migrations`);
      expect(n).toBe(1);
    } finally {
      await sources[0].query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
      await Promise.all(sources.map((s) => s.destroy()));
    }
  });

  it('the migrate command run three times at once migrates every schema once', async () => {
    const database = `mamori_mig_${suffix}_a`;
    const url = await freshDatabase(database);
    try {
      const config = { DATABASE_URL: url, MIGRATION_LOCK_TIMEOUT_MS: 5_000, SCHEMA_WAIT_SECONDS: 60 };
      const runs = Array.from({ length: 3 }, () => lines());
      const codes = await Promise.all(runs.map((run) => new MigrateCommand(config, run.output).run()));
      expect(codes).toEqual([0, 0, 0]);
      expect(runs.flatMap((r) => r.err)).toEqual([]);
      await admin(async () => {
        const client = new Client({ connectionString: url });
        await client.connect();
        try {
          for (const target of SERVICE_SCHEMAS) {
            const { rows } = await client.query(
              `SELECT name, count(*)::int AS n FROM "${target.schema}".migrations GROUP BY name`,
            );
            expect(rows).toHaveLength((target.migrations as unknown[]).length);
            expect(rows.every((r) => r.n === 1)).toBe(true);
          }
        } finally {
          await client.end();
        }
      });
      // Each schema was applied by exactly one run; the others found it current.
      for (const target of SERVICE_SCHEMAS) {
        const applied = runs.filter((r) => r.out.some((l) => l.startsWith(`${target.service}: applied `)));
        const current = runs.filter((r) =>
          r.out.includes(`${target.service}: schema ${target.schema} is up to date`),
        );
        expect({ service: target.service, applied: applied.length, current: current.length }).toEqual({
          service: target.service,
          applied: 1,
          current: 2,
        });
      }
    } finally {
      await dropDatabase(database);
    }
  });

  it('a service started before its schema is migrated waits, and starts once the migrate command ran', async () => {
    const database = `mamori_mig_${suffix}_b`;
    const url = await freshDatabase(database);
    const saved = { ...process.env };
    let app: INestApplication | undefined;
    try {
      Object.assign(process.env, {
        DATABASE_URL: url,
        NATS_URL: env.NATS_URL,
        MIGRATE_AT_BOOT: 'false',
        LOG_LEVEL: 'silent',
      });
      const { CaseManagementModule } = await import('@app/case-management/case-management.module');
      app = await NestFactory.create(CaseManagementModule, { logger: false });
      let started = false;
      const init = app.init().then(() => {
        started = true;
      });
      await new Promise((resolve) => setTimeout(resolve, 2_000));
      expect(started).toBe(false);
      const tables = await admin(async () => {
        const client = new Client({ connectionString: url });
        await client.connect();
        try {
          return (await client.query(`SELECT to_regclass('case_management.migrations') AS t`)).rows[0].t;
        } finally {
          await client.end();
        }
      });
      expect(tables).toBeNull();

      const run = lines();
      expect(
        await new MigrateCommand(
          { DATABASE_URL: url, MIGRATION_LOCK_TIMEOUT_MS: 5_000, SCHEMA_WAIT_SECONDS: 60 },
          run.output,
        ).run('case-management'),
      ).toBe(0);
      await init;
      expect(started).toBe(true);
    } finally {
      await app?.close();
      process.env = saved;
      await dropDatabase(database);
    }
  });
});
