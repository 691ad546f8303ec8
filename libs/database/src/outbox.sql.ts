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

export function dropOutboxTableSql(schema: string): string[] {
  return [`DROP TABLE "${schema}".outbox`];
}

export function outboxChannel(schema: string): string {
  return `${schema}_outbox`;
}
