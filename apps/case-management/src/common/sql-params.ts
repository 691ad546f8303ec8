/**
 * Collects the parameters of one statement: every value becomes `$n`, never text in the SQL. Column
 * names and directions only ever come from fixed maps in the code, so a request cannot shape SQL.
 */
export class SqlParams {
  readonly values: unknown[] = [];

  add(value: unknown): string {
    this.values.push(value);
    return `$${this.values.length}`;
  }
}
