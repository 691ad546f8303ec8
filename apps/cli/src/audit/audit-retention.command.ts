import { Client } from 'pg';
import { applyRetention, RetentionDecision, signingKeyView } from '@app/audit-chain';
import { CommandOutput } from '../operator/operator-create.command';
import { CheckpointSource } from './audit-verify.command';
import { readCheckpoints } from './checkpoint-reader';

const KEPT: Record<Extract<RetentionDecision, { action: 'kept' }>['reason'], string> = {
  not_covered: 'no signed checkpoint covers its last record yet',
  not_a_prefix: 'a kept record comes before its last one in the chain',
  earlier_kept: 'an older partition is kept',
};

/**
 * `audit:retention [--months N] [--dry-run]`: drops the monthly partitions of the audit trail older
 * than AUDIT_RETENTION_MONTHS (or N), each only once a checkpoint signed by the given key covers it
 * (see `applyRetention`). Runs as the schema owner (DATABASE_URL): the audit runtime role cannot drop
 * anything. Exit code 0 when every old partition went (or nothing was old), 1 when one had to stay.
 */
export class AuditRetentionCommand {
  constructor(
    private readonly databaseUrl: string,
    private readonly output: CommandOutput,
  ) {}

  async run(
    months: number,
    checkpoints: CheckpointSource,
    dryRun: boolean,
    now = new Date(),
  ): Promise<number> {
    const read = await readCheckpoints(
      checkpoints.nats,
      checkpoints.publicKey,
      signingKeyView(checkpoints.publicKey).keyId,
    );
    const client = new Client({
      connectionString: this.databaseUrl,
      application_name: 'mamori-cli-audit-retention',
    });
    await client.connect();
    let decisions: RetentionDecision[];
    try {
      const sql = async (text: string, params?: unknown[]): Promise<unknown[]> =>
        (await client.query(text, params)).rows as unknown[];
      decisions = await applyRetention(sql, { months, now, checkpoints: read.valid, dryRun });
    } finally {
      await client.end();
    }
    if (decisions.length === 0) {
      this.output.out(`audit retention: no partition older than ${months} months`);
      return 0;
    }
    for (const d of decisions) {
      this.output.out(
        d.action === 'dropped'
          ? `audit retention: ${dryRun ? 'would drop' : 'dropped'} ${d.partition} (${d.records} records)`
          : `audit retention: kept ${d.partition}: ${KEPT[d.reason]}`,
      );
    }
    return decisions.every((d) => d.action === 'dropped') ? 0 : 1;
  }
}
