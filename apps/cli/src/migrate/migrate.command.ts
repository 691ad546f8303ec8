import { DataSource } from 'typeorm';
import { BaseEnv } from '@app/config';
import { runMigrationsLocked, serviceDataSourceOptions } from '@app/database';
import { CommandOutput } from '../operator/operator-create.command';
import { SERVICE_SCHEMAS, ServiceSchema } from './service-schemas';

/**
 * `migrate`: the one runner of schema migrations, used by `npm start`, the Helm chart's
 * pre-install/pre-upgrade Job and compose's `migrate` service. Each schema is migrated on one
 * connection under its advisory lock (a concurrent run waits, then finds nothing to do), with
 * `lock_timeout` on the migration's statements. Services started with MIGRATE_AT_BOOT=false wait
 * for this to have run.
 */
export class MigrateCommand {
  constructor(
    private readonly config: Pick<
      BaseEnv,
      'DATABASE_URL' | 'MIGRATION_LOCK_TIMEOUT_MS' | 'SCHEMA_WAIT_SECONDS'
    >,
    private readonly output: CommandOutput,
    private readonly schemas: readonly ServiceSchema[] = SERVICE_SCHEMAS,
  ) {}

  async run(only?: string): Promise<number> {
    const chosen = only === undefined ? this.schemas : this.schemas.filter((s) => s.service === only);
    if (chosen.length === 0) {
      this.output.err(`error: no service ${only} (${this.schemas.map((s) => s.service).join(', ')})`);
      return 2;
    }
    for (const target of chosen) {
      const dataSource = new DataSource(
        serviceDataSourceOptions({
          url: this.config.DATABASE_URL,
          schema: target.schema,
          entities: target.entities,
          migrations: target.migrations,
          poolSize: 1,
        }),
      );
      try {
        await dataSource.initialize();
        const applied = await runMigrationsLocked(dataSource, target.schema, {
          lockTimeoutMs: this.config.MIGRATION_LOCK_TIMEOUT_MS,
          waitMs: this.config.SCHEMA_WAIT_SECONDS * 1000,
          onWait: () => this.output.out(`${target.service}: another migration run holds the lock; waiting`),
        });
        this.output.out(
          applied.length === 0
            ? `${target.service}: schema ${target.schema} is up to date`
            : `${target.service}: applied ${applied.join(', ')}`,
        );
      } catch (error) {
        // The driver's message names the statement or the lock, never the connection's password.
        this.output.err(
          `error: ${target.service}: ${error instanceof Error ? error.message : String(error)}`,
        );
        return 1;
      } finally {
        if (dataSource.isInitialized) {
          await dataSource.destroy();
        }
      }
    }
    return 0;
  }
}
