import { DynamicModule, Inject, Injectable, Logger, Module, OnModuleInit } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { DataSource, DataSourceOptions } from 'typeorm';
import { APP_CONFIG, BaseEnv, Clock, migratesAtBoot, SystemClock } from '@app/config';
import { auditStreamSettings } from '@app/messaging';
import { HEALTH_INDICATORS, HealthIndicator, Metrics } from '@app/observability';
import { serviceDataSourceOptions } from './data-source-options';
import { runMigrationsLocked, waitForSchema } from './migrations-runner';
import { OutboxRelay } from './outbox.relay';
import { OutboxWriter } from './outbox.writer';

export interface DatabaseModuleOptions {
  schema: string;
  entities: NonNullable<DataSourceOptions['entities']>;
  migrations: NonNullable<DataSourceOptions['migrations']>;
  /** Extra readiness checks (Redis, …) beside the database. */
  extraHealthIndicators?: (new (...args: never[]) => HealthIndicator)[];
}

const MIGRATION_SCHEMA = Symbol('MIGRATION_SCHEMA');

/**
 * Brings the schema to what this build needs before anything else starts: in development it
 * migrates (under the advisory lock, so replicas may start together); in production it waits for
 * the migrate command (the deploy's migration job) to have applied every migration it knows.
 */
@Injectable()
class SchemaOnBoot implements OnModuleInit {
  private readonly logger = new Logger('Migrations');

  constructor(
    private readonly dataSource: DataSource,
    @Inject(MIGRATION_SCHEMA) private readonly schema: string,
    @Inject(APP_CONFIG) private readonly config: BaseEnv,
  ) {}

  async onModuleInit(): Promise<void> {
    if (migratesAtBoot(this.config)) {
      await runMigrationsLocked(this.dataSource, this.schema, {
        lockTimeoutMs: this.config.MIGRATION_LOCK_TIMEOUT_MS,
      });
      return;
    }
    await waitForSchema(this.dataSource, this.schema, {
      timeoutMs: this.config.SCHEMA_WAIT_SECONDS * 1000,
      onWaiting: (pending) =>
        this.logger.warn(
          { schema: this.schema, pending },
          'waiting for the migrate command to apply migrations',
        ),
    });
  }
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
              url: config.DATABASE_URL,
              schema: options.schema,
              entities: options.entities,
              migrations: options.migrations,
            }),
        }),
      ],
      providers: [
        { provide: MIGRATION_SCHEMA, useValue: options.schema },
        SchemaOnBoot,
        { provide: Clock, useClass: SystemClock },
        {
          provide: OutboxWriter,
          inject: [Clock],
          useFactory: (clock: Clock) => new OutboxWriter(options.schema, clock),
        },
        {
          provide: OutboxRelay,
          inject: [DataSource, APP_CONFIG, { token: Metrics, optional: true }],
          useFactory: (dataSource: DataSource, config: BaseEnv, metrics?: Metrics) =>
            new OutboxRelay(
              options.schema,
              dataSource,
              { database: config.DATABASE_URL, nats: config },
              {
                stream: auditStreamSettings(config),
                maxAttempts: config.OUTBOX_MAX_ATTEMPTS,
                registry: metrics?.registry,
              },
            ),
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
