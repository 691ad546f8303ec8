import { DynamicModule, Inject, Injectable, Module, OnModuleInit } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { DataSource, DataSourceOptions } from 'typeorm';
import { APP_CONFIG, BaseEnv, Clock, SystemClock } from '@app/config';
import { auditStreamSettings } from '@app/messaging';
import { HEALTH_INDICATORS, HealthIndicator, Metrics } from '@app/observability';
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
}

const MIGRATION_SCHEMA = Symbol('MIGRATION_SCHEMA');

@Injectable()
class MigrateOnBoot implements OnModuleInit {
  constructor(
    private readonly dataSource: DataSource,
    @Inject(MIGRATION_SCHEMA) private readonly schema: string,
  ) {}

  async onModuleInit(): Promise<void> {
    await runMigrationsLocked(this.dataSource, this.schema);
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
        MigrateOnBoot,
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
