import type { NatsSettings } from '@app/messaging';
import { KeyObject } from 'node:crypto';
import { Client } from 'pg';
import {
  ChainBreak,
  ChainVerification,
  CheckpointMismatch,
  signingKeyView,
  verifyChain,
  VerifyWindow,
  withSnapshot,
} from '@app/audit-chain';
import { CommandOutput } from '../operator/operator-create.command';
import { readCheckpoints } from './checkpoint-reader';

const WHY: Record<ChainBreak, string> = {
  hash_mismatch: 'hash mismatch: its content no longer gives its hash (a field was changed)',
  gap: 'gap: the record it names as previous is missing (a record was removed before it)',
  reordered: 'reordered: the record it names as previous is in the trail, but not just before it',
};

const MISMATCH: Record<CheckpointMismatch['reason'], string> = {
  hash_differs: 'the record at its head has another hash: the chain was rewritten at or before it',
  count_differs: 'the chain up to its head has another length: records were added or removed before it',
  head_missing: 'the table has no record at its head: records were removed or renumbered',
};

/** Where the signed checkpoints come from, with `--checkpoints`. */
export interface CheckpointSource {
  /** The NATS to read the stream from, as the CLI's own user. */
  nats: NatsSettings;
  publicKey: KeyObject;
}

/**
 * `audit:verify [--from TIME] [--to TIME] [--checkpoints]`: walks the audit trail's hash chain in the database
 * (DATABASE_URL; reading is all it does, so the audit runtime role will do) and prints the number of records
 * verified, or the first broken record and why. Exit code 0 when whole, 1 on a break.
 */
export class AuditVerifyCommand {
  constructor(
    private readonly databaseUrl: string,
    private readonly output: CommandOutput,
  ) {}

  async run(window: VerifyWindow, checkpoints?: CheckpointSource): Promise<number> {
    if (checkpoints) {
      const read = await readCheckpoints(
        checkpoints.nats,
        checkpoints.publicKey,
        signingKeyView(checkpoints.publicKey).keyId,
      );
      if (read.otherKeys > 0) {
        this.output.out(`audit checkpoints: ${read.otherKeys} signed by another key, not compared`);
      }
      if (read.invalid.length > 0) {
        this.output.out(
          `audit checkpoints: ${read.invalid.length} message(s) not signed by the given key ` +
            `but claiming it (stream sequence ${read.invalid.slice(0, 10).join(', ')}${read.invalid.length > 10 ? ', …' : ''})`,
        );
      }
      if (read.valid.length === 0) {
        this.output.out('audit checkpoints: none signed by the given key; nothing to compare the table with');
        return 1;
      }
      window = { ...window, checkpoints: read.valid };
      const verification = await this.verify(window);
      return read.invalid.length > 0 && verification === 0 ? 1 : verification;
    }
    return this.verify(window);
  }

  private async verify(window: VerifyWindow): Promise<number> {
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
      const signed = window.checkpoints ? `, ${result.checkpoints} signed checkpoints match` : '';
      this.output.out(
        `audit trail verified: ${result.count} records${result.headHash ? `, head ${result.headHash}` : ''}` +
          `${signed} (${seconds.toFixed(1)} s)`,
      );
      return 0;
    }
    if ('mismatch' in result) {
      const { checkpoint, reason, found } = result.mismatch;
      this.output.out(
        `audit trail does NOT MATCH the checkpoint signed ${checkpoint.time} ` +
          `(count ${checkpoint.count}, head seq ${checkpoint.headSeq}, head ${checkpoint.headHash}): ${MISMATCH[reason]}`,
      );
      if (found) {
        this.output.out(
          `the table has head ${found.hash}${found.count === null ? '' : ` and ${found.count} records`}`,
        );
      }
      return 1;
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
