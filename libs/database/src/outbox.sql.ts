/**
 * DDL of a service's transactional outbox, for that service's first migration. Rows are written in
 * the same transaction as the change they describe and removed once JetStream has acknowledged them.
 */
export function createOutboxTableSql(schema: string): string[] {
  return [
    `CREATE TABLE "${schema}".outbox (
       id uuid PRIMARY KEY,
       subject text NOT NULL,
       payload jsonb NOT NULL,
       created_at timestamptz NOT NULL DEFAULT now(),
       attempts int NOT NULL DEFAULT 0
     )`,
    `CREATE INDEX outbox_created_at_idx ON "${schema}".outbox (created_at)`,
  ];
}

/**
 * Wakes the relay when outbox rows commit: one NOTIFY per inserting statement, sent by PostgreSQL
 * itself, and only if the transaction commits (notifications are transactional and PostgreSQL
 * folds identical ones of a transaction into one). Before this trigger every recorded event cost the
 * writer one more round trip for `SELECT pg_notify(…)`.
 */
export function createOutboxNotifyTriggerSql(schema: string): string[] {
  return [
    `CREATE FUNCTION "${schema}".outbox_notify() RETURNS trigger LANGUAGE plpgsql AS $$
       BEGIN
         PERFORM pg_notify('${outboxChannel(schema)}', '');
         RETURN NULL;
       END $$`,
    `CREATE TRIGGER outbox_notify AFTER INSERT ON "${schema}".outbox
       FOR EACH STATEMENT EXECUTE FUNCTION "${schema}".outbox_notify()`,
  ];
}

export function dropOutboxNotifyTriggerSql(schema: string): string[] {
  return [`DROP TRIGGER outbox_notify ON "${schema}".outbox`, `DROP FUNCTION "${schema}".outbox_notify()`];
}

export function dropOutboxTableSql(schema: string): string[] {
  return [`DROP TABLE "${schema}".outbox`];
}

export function outboxChannel(schema: string): string {
  return `${schema}_outbox`;
}

/**
 * A row JetStream keeps refusing is parked after a number of attempts instead of being retried
 * forever: `parked_at` takes it out of the relay's work (the rows behind it flow), `last_error` says
 * why. Parked rows are counted in the `mamori_outbox_rows{state="parked"}` metric; an operator fixes
 * the cause and sets `parked_at` back to NULL to send them again.
 */
export function createOutboxParkingSql(schema: string): string[] {
  return [
    `ALTER TABLE "${schema}".outbox ADD COLUMN parked_at timestamptz, ADD COLUMN last_error text`,
    `CREATE INDEX outbox_parked_idx ON "${schema}".outbox (parked_at) WHERE parked_at IS NOT NULL`,
  ];
}

export function dropOutboxParkingSql(schema: string): string[] {
  return [
    `DROP INDEX "${schema}".outbox_parked_idx`,
    `ALTER TABLE "${schema}".outbox DROP COLUMN parked_at, DROP COLUMN last_error`,
  ];
}
