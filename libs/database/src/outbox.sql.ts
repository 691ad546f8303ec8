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
