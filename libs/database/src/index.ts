export * from './data-source-options';
export * from './migrations-runner';
export * from './outbox.sql';
export * from './outbox.writer';
export * from './outbox.relay';
export * from './outbox-batch-window';
export * from './database.module';
