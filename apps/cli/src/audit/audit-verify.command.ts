import { Client } from 'pg';
import { ChainBreak, ChainVerification, verifyChain, VerifyWindow, withSnapshot } from '@app/audit-chain';
import { CommandOutput } from '../operator/operator-create.command';

const WHY: Record<ChainBreak, string> = {
  hash_mismatch: 'hash mismatch: its content no longer gives its hash (a field was changed)',
  gap: 'gap: the record it names as previous is missing (a record was removed before it)',
  reordered: 'reordered: the record it names as previous is in the trail, but not just before it',
};

/**
 * `audit:verify [--from TIME] [--to TIME]`: walks the audit trail's hash chain in the database
 * (DATABASE_URL; reading is all it does, so the audit runtime role will do) and prints the number of records
 * verified, or the first broken record and why. Exit code 0 when whole, 1 on a break.
 */
export class AuditVerifyCommand {
  constructor(
    private readonly databaseUrl: string,
    private readonly output: CommandOutput,
  ) {}

  async run(window: VerifyWindow): Promise<number> {
    const client = new Client({
      connectionString: this.databaseUrl,
      application_name: 'mamori-cli-audit-verify',
    });
    await client.connect();
    const started = Date.now();
    let result: ChainVerification;
    try {
      const sql = async (text: string, params?: unknown[]): Promise<unknown[]> =>
        (await client.query(text, params)).rows as unknown[];
      result = await withSnapshot(sql, (snapshot) => verifyChain(snapshot, window));
    } finally {
      await client.end();
    }
    const seconds = (Date.now() - started) / 1000;
    if (result.ok) {
      this.output.out(
        `audit trail verified: ${result.count} records${result.headHash ? `, head ${result.headHash}` : ''} ` +
          `(${seconds.toFixed(1)} s)`,
      );
      return 0;
    }
    const { broken } = result;
    this.output.out(
      `audit trail BROKEN at record ${broken.id} (seq ${broken.seq}, occurred ${broken.occurredAt}): ` +
        `${WHY[broken.reason]}`,
    );
    this.output.out(`${result.count} records before it verified`);
    return 1;
  }
}

/** `--from`/`--to` as times, or the name of the one that is not a time. */
export function verifyWindowOf(options: Record<string, string | true>): VerifyWindow | { invalid: string } {
  const window: VerifyWindow = {};
  for (const key of ['from', 'to'] as const) {
    const value = options[key];
    if (value === undefined) {
      continue;
    }
    const date = typeof value === 'string' ? new Date(value) : new Date(NaN);
    if (Number.isNaN(date.getTime())) {
      return { invalid: key };
    }
    window[key] = date;
  }
  return window;
}
