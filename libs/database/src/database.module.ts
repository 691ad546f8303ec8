import { DynamicModule, Inject, Injectable, Module, OnModuleInit } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { DataSource, DataSourceOptions } from 'typeorm';
import { APP_CONFIG, BaseEnv, Clock, SystemClock } from '@app/config';
import { HEALTH_INDICATORS, HealthIndicator } from '@app/observability';
import { serviceDataSourceOptions } from './data-source-options';
import { runMigrationsLocked } from './migrations-runner';
import { OutboxRelay } from './outbox.relay';
import { OutboxWriter } from './outbox.writer';

export interface DatabaseModuleOptions {
  schema: string;
  entities: NonNullable<DataSourceOptions['entities']>;
  migrations: NonNullable<DataSourceOptions['migrations']>;
  /** Extra readiness checks (Redis, …) beside the database. */
  extraHealthIndicators?: (new (...args: never[]) => HealthIndicator)[];
  /**
   * The environment variable naming the URL of a runtime role with fewer rights than the schema
   * owner (AUDIT_DATABASE_URL). When it is set, the service works as that role and its migrations
   * run on a connection of their own as DATABASE_URL (the owner), closed once they are done.
   */
  runtimeUrlVariable?: string;
}

const MIGRATION_SCHEMA = Symbol('MIGRATION_SCHEMA');
const MIGRATION_OWNER = Symbol('MIGRATION_OWNER');

/** Where migrations run when the service's own connection is not the schema owner's. */
interface MigrationOwner {
  url: string;
  entities: NonNullable<DataSourceOptions['entities']>;
  migrations: NonNullable<DataSourceOptions['migrations']>;
}

@Injectable()
class MigrateOnBoot implements OnModuleInit {
  constructor(
    private readonly dataSource: DataSource,
    @Inject(MIGRATION_SCHEMA) private readonly schema: string,
    @Inject(MIGRATION_OWNER) private readonly owner: MigrationOwner | null,
  ) {}

  async onModuleInit(): Promise<void> {
    if (!this.owner) {
      await runMigrationsLocked(this.dataSource, this.schema);
      return;
    }
    const ownerSource = new DataSource(
      // Two connections: one holds the advisory lock while the other migrates.
      serviceDataSourceOptions({ ...this.owner, schema: this.schema, poolSize: 2 }),
    );
    await ownerSource.initialize();
    try {
      await runMigrationsLocked(ownerSource, this.schema);
    } finally {
      await ownerSource.destroy();
    }
  }
}

/** The runtime role's URL when the service has one (see DatabaseModuleOptions.runtimeUrlVariable). */
function runtimeUrlOf(config: BaseEnv, variable: string | undefined): string | undefined {
  const value = variable ? (config as unknown as Record<string, unknown>)[variable] : undefined;
  return typeof value === 'string' && value.length > 0 ? value : undefined;
}

@Injectable()
export class DatabaseHealthIndicator implements HealthIndicator {
  readonly name = 'database';
  constructor(private readonly dataSource: DataSource) {}
  async isUp(): Promise<boolean> {
    await this.dataSource.query('SELECT 1');
    return true;
  }
}

/**
 * A service's database: TypeORM on its own schema, migrations run at boot under an advisory lock,
 * the transactional outbox and its relay to JetStream, the clock, and the readiness check.
 */
@Module({})
export class DatabaseModule {
  static forService(options: DatabaseModuleOptions): DynamicModule {
    const extra = options.extraHealthIndicators ?? [];
    return {
      module: DatabaseModule,
      global: true,
      imports: [
        TypeOrmModule.forRootAsync({
          inject: [APP_CONFIG],
          useFactory: (config: BaseEnv) =>
            serviceDataSourceOptions({
              url: runtimeUrlOf(config, options.runtimeUrlVariable) ?? config.DATABASE_URL,
              schema: options.schema,
              entities: options.entities,
              migrations: options.migrations,
            }),
        }),
      ],
      providers: [
        { provide: MIGRATION_SCHEMA, useValue: options.schema },
        {
          provide: MIGRATION_OWNER,
          inject: [APP_CONFIG],
          useFactory: (config: BaseEnv): MigrationOwner | null =>
            runtimeUrlOf(config, options.runtimeUrlVariable) === undefined
              ? null
              : { url: config.DATABASE_URL, entities: options.entities, migrations: options.migrations },
        },
        MigrateOnBoot,
        { provide: Clock, useClass: SystemClock },
        {
          provide: OutboxWriter,
          inject: [Clock],
          useFactory: (clock: Clock) => new OutboxWriter(options.schema, clock),
        },
        {
          provide: OutboxRelay,
          inject: [DataSource, APP_CONFIG],
          useFactory: (dataSource: DataSource, config: BaseEnv) =>
            new OutboxRelay(options.schema, dataSource, {
              database: config.DATABASE_URL,
              nats: config.NATS_URL,
            }),
        },
        DatabaseHealthIndicator,
        ...extra,
        {
          provide: HEALTH_INDICATORS,
          inject: [DatabaseHealthIndicator, ...extra],
          useFactory: (...indicators: HealthIndicator[]) => indicators,
        },
      ],
      exports: [TypeOrmModule, Clock, OutboxWriter, OutboxRelay, HEALTH_INDICATORS],
    };
  }
}
