import fs from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';

/** docker-compose.yml defaults to production settings: checked on the file as compose reads it. */
describe('docker-compose.yml', () => {
  const compose = parse(fs.readFileSync(path.resolve(__dirname, '..', '..', 'docker-compose.yml'), 'utf8'), {
    merge: true,
  });
  const services: Record<string, any> = compose.services;
  const mamori = ['auth', 'notification', 'case-management', 'audit', 'gateway'];

  it('runs in production by default: no development outbox, services wait for the migrate run', () => {
    for (const name of mamori) {
      const env = services[name].environment;
      expect({ name, nodeEnv: env.NODE_ENV, migrate: env.MIGRATE_AT_BOOT }).toEqual({
        name,
        nodeEnv: '${NODE_ENV:-production}',
        migrate: 'false',
      });
    }
    expect(services.migrate.command).toEqual(['migrate']);
    for (const name of mamori.filter((n) => n !== 'gateway')) {
      expect(services[name].depends_on.migrate).toEqual({ condition: 'service_completed_successfully' });
    }
  });

  it('publishes ports on the loopback interface unless configured, and infrastructure not at all', () => {
    for (const [name, service] of Object.entries(services)) {
      for (const port of service.ports ?? []) {
        expect({ name, port }).toEqual({
          name,
          port: expect.stringMatching(/^\$\{BIND_ADDRESS:-127\.0\.0\.1\}:/),
        });
      }
    }
    for (const name of ['postgres', 'redis', 'nats']) {
      expect(services[name].ports).toBeUndefined();
    }
  });

  it('gives Redis and PostgreSQL a password the operator sets, never a default', () => {
    expect(services.postgres.environment.POSTGRES_PASSWORD).toMatch(/^\$\{POSTGRES_PASSWORD:\?/);
    expect(services.redis.environment.REDIS_PASSWORD).toMatch(/^\$\{REDIS_PASSWORD:\?/);
    expect(services.redis.command.join(' ')).toContain('requirepass');
    const env = services.auth.environment;
    expect(env.REDIS_URL).toMatch(/^redis:\/\/:\$\{REDIS_PASSWORD:\?/);
    expect(env.DATABASE_URL).toContain('${POSTGRES_PASSWORD:?');
  });
});
