import { DynamicModule, Inject, Injectable, Module, OnModuleInit } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { DataSource, DataSourceOptions } from 'typeorm';
import { APP_CONFIG, BaseEnv, Clock, migratesAtBoot, SystemClock } from '@app/config';
import { auditStreamSettings } from '@app/messaging';
import {
  AppLogger,
  HEALTH_INDICATORS,
  HealthIndicator,
  InjectLogger,
  LOGGER,
  Metrics,
} from '@app/observability';
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

/**
 * Brings the schema to what this build needs before anything else starts: in development it
 * migrates (under the advisory lock, so replicas may start together); in production it waits for
 * the migrate command (the deploy's migration job) to have applied every migration it knows.
 */
@Injectable()
class SchemaOnBoot implements OnModuleInit {
  private readonly logger: AppLogger;

  constructor(
    private readonly dataSource: DataSource,
    @Inject(MIGRATION_SCHEMA) private readonly schema: string,
    @Inject(APP_CONFIG) private readonly config: BaseEnv,
    @Inject(MIGRATION_OWNER) private readonly owner: MigrationOwner | null,
    @InjectLogger() logger: AppLogger,
  ) {
    this.logger = logger.child({ component: 'Migrations' });
  }

  async onModuleInit(): Promise<void> {
    // A service whose own role may not change its schema (audit) migrates, or reads the applied
    // migrations, on a connection of the schema owner's, closed once the schema is ready.
    const ownerSource = this.owner
      ? new DataSource(serviceDataSourceOptions({ ...this.owner, schema: this.schema, poolSize: 1 }))
      : undefined;
    const source = ownerSource ?? this.dataSource;
    await ownerSource?.initialize();
    try {
      if (migratesAtBoot(this.config)) {
        await runMigrationsLocked(source, this.schema, {
          lockTimeoutMs: this.config.MIGRATION_LOCK_TIMEOUT_MS,
        });
        return;
      }
      await waitForSchema(source, this.schema, {
        timeoutMs: this.config.SCHEMA_WAIT_SECONDS * 1000,
        onWaiting: (pending) =>
          this.logger.warn(
            { schema: this.schema, pending },
            'waiting for the migrate command to apply migrations',
          ),
      });
    } finally {
      await ownerSource?.destroy();
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
        SchemaOnBoot,
        { provide: Clock, useClass: SystemClock },
        {
          provide: OutboxWriter,
          inject: [Clock],
          useFactory: (clock: Clock) => new OutboxWriter(options.schema, clock),
        },
        {
          provide: OutboxRelay,
          inject: [DataSource, APP_CONFIG, LOGGER, Clock, { token: Metrics, optional: true }],
          useFactory: (
            dataSource: DataSource,
            config: BaseEnv,
            logger: AppLogger,
            clock: Clock,
            metrics?: Metrics,
          ) =>
            new OutboxRelay(
              options.schema,
              dataSource,
              { database: config.DATABASE_URL, nats: config },
              logger,
              {
                stream: auditStreamSettings(config),
                maxAttempts: config.OUTBOX_MAX_ATTEMPTS,
                batchWindowMs: config.OUTBOX_BATCH_WINDOW_MS,
                clock,
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
