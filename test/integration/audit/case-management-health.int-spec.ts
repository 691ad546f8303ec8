import { randomUUID } from 'node:crypto';
import { INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { Pool } from 'pg';
import { testEnv } from './support/audit-harness';

jest.setTimeout(60_000);

/** The case-management service boots on its own schema, migrated, and answers its health. */
describe('case-management service boot', () => {
  let pool: Pool;
  const apps: INestApplication[] = [];

  const start = async (): Promise<INestApplication> => {
    process.env.DATABASE_URL = testEnv.databaseUrl;
    process.env.NATS_URL = testEnv.natsUrl;
    const { CaseManagementModule } = await import('@app/case-management/case-management.module');
    const app = await NestFactory.create(CaseManagementModule, { logger: false });
    await app.init();
    apps.push(app);
    return app;
  };

  beforeAll(() => {
    pool = new Pool({ connectionString: testEnv.databaseUrl, max: 1 });
  });

  afterAll(async () => {
    await Promise.all(apps.map((app) => app.close()));
    await pool.end();
  });

  it('migrates its schema with the outbox, also when two replicas boot at once', async () => {
    await Promise.all([start(), start()]);
    const { rows } = await pool.query(
      `SELECT table_name FROM information_schema.tables WHERE table_schema = 'case_management' ORDER BY table_name`,
    );
    expect(rows.map((r) => r.table_name)).toEqual(
      expect.arrayContaining(['migrations', 'outbox', 'case_record', 'contract']),
    );
    // Each migration once, though two replicas raced for the lock.
    const { rows: applied } = await pool.query('SELECT name FROM case_management.migrations');
    const { CASE_MANAGEMENT_MIGRATIONS } = await import('@app/case-management/case-management.entities');
    expect(applied.map((r) => r.name).sort()).toEqual(CASE_MANAGEMENT_MIGRATIONS.map((m) => m.name).sort());
  });

  it('answers case-management.health with its database check', async () => {
    const { CaseManagementHealthController } =
      await import('@app/case-management/health/case-management-health.controller');
    const health = await apps[0]
      .get(CaseManagementHealthController)
      .health({ ctx: { requestId: randomUUID() }, data: {} });
    expect(health).toEqual({ service: 'case-management', status: 'up', checks: { database: 'up' } });
  });
});
