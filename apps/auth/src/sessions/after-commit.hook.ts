import { Injectable, OnModuleInit } from '@nestjs/common';
import {
  DataSource,
  EntityManager,
  EntitySubscriberInterface,
  QueryRunner,
  TransactionCommitEvent,
  TransactionRollbackEvent,
} from 'typeorm';
import { AppLogger, InjectLogger } from '@app/observability';

type Callback = () => Promise<void>;

/**
 * Runs work once the caller's transaction has committed, for side effects outside PostgreSQL (Redis
 * revocation marks) when the transaction belongs to someone else (e.g. the reset flow calling
 * `SessionsService.revokeAllForUser` with its manager). A rollback drops the work. A rollback to a
 * savepoint keeps it: then a mark may be set for a session that stays alive, which only errs on the
 * safe side (its access tokens are refused until they expire; the user logs in again).
 */
@Injectable()
export class AfterCommitHook implements OnModuleInit, EntitySubscriberInterface {
  private readonly logger: AppLogger;
  private readonly pending = new WeakMap<QueryRunner, Callback[]>();

  constructor(
    private readonly dataSource: DataSource,
    @InjectLogger() logger: AppLogger,
  ) {
    this.logger = logger.child({ component: AfterCommitHook.name });
  }

  onModuleInit(): void {
    this.dataSource.subscribers.push(this);
  }

  /** Runs `callback` after `manager`'s transaction commits, or now when it is not in one. */
  async run(manager: EntityManager, callback: Callback): Promise<void> {
    const runner = manager.queryRunner;
    if (!runner || !runner.isTransactionActive) {
      await callback();
      return;
    }
    const list = this.pending.get(runner) ?? [];
    list.push(callback);
    this.pending.set(runner, list);
  }

  async afterTransactionCommit(event: TransactionCommitEvent): Promise<void> {
    const runner = event.queryRunner;
    if (runner.isTransactionActive) {
      return; // a savepoint was released; the outer transaction may still roll back
    }
    const list = this.pending.get(runner);
    this.pending.delete(runner);
    for (const callback of list ?? []) {
      // The commit has happened; a failure here must not turn it into an error for the caller.
      await callback().catch((error: unknown) =>
        this.logger.error(
          { err: error instanceof Error ? error.message : String(error) },
          'after-commit work failed',
        ),
      );
    }
  }

  afterTransactionRollback(event: TransactionRollbackEvent): void {
    if (!event.queryRunner.isTransactionActive) {
      this.pending.delete(event.queryRunner);
    }
  }
}
