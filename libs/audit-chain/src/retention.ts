import { AuditCheckpoint } from '@app/contracts';
import { SqlRunner } from './verify-chain';

/** A monthly partition of `audit.event` (`event_yYYYYmMM`), holding the records received that month. */
export interface EventPartition {
  name: string;
  /** First instant of the month (UTC), inclusive. */
  from: Date;
  /** First instant of the next month, exclusive. */
  to: Date;
}

export type RetentionDecision =
  | { partition: string; action: 'dropped'; records: number; upToSeq: number | null }
  | { partition: string; action: 'kept'; reason: 'not_covered' | 'not_a_prefix' | 'earlier_kept' };

export interface RetentionOptions {
  /** Months kept besides the current one: partitions whose month ended before that are dropped. */
  months: number;
  now: Date;
  /** Signed checkpoints, their signatures already checked: a partition goes only when one covers it. */
  checkpoints: AuditCheckpoint[];
  /** Reports what would be dropped without dropping anything. */
  dryRun?: boolean;
}

const PARTITION_NAME = /^event_y(\d{4})m(\d{2})$/;

/** The monthly partitions of `audit.event`, oldest first (the default partition is not one). */
export async function eventPartitions(sql: SqlRunner): Promise<EventPartition[]> {
  const rows = (await sql(
    `SELECT c.relname AS name FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid
      WHERE i.inhparent = 'audit.event'::regclass`,
  )) as { name: string }[];
  return rows
    .flatMap(({ name }) => {
      const match = PARTITION_NAME.exec(name);
      if (!match) {
        return [];
      }
      const [year, month] = [Number(match[1]), Number(match[2]) - 1];
      return [{ name, from: new Date(Date.UTC(year, month, 1)), to: new Date(Date.UTC(year, month + 1, 1)) }];
    })
    .sort((a, b) => a.from.getTime() - b.from.getTime());
}

/** The first instant of the oldest month kept: `months` months before the current one (UTC). */
export function retentionCutoff(now: Date, months: number): Date {
  return new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() - months, 1));
}

/**
 * Drops the monthly partitions of the trail older than the retention (AUDIT_RETENTION_MONTHS), oldest
 * first, as the schema owner. A partition goes only when
 * - a signed checkpoint covers it: its head is at or after the partition's last record, and the
 *   table still has that head with the signed hash (the checkpoint is of this chain);
 * - it is the start of the chain: no kept record comes before its last one;
 * - every older partition went too.
 * Each drop notes in `audit.chain_cut` the last dropped record and the chain's length up to it, in the
 * same transaction, so `audit:verify` starts at the first kept record and still compares counts
 * with the checkpoints.
 */
export async function applyRetention(
  sql: SqlRunner,
  options: RetentionOptions,
): Promise<RetentionDecision[]> {
  const cutoff = retentionCutoff(options.now, options.months);
  const old = (await eventPartitions(sql)).filter((p) => p.to.getTime() <= cutoff.getTime());
  const coverage = await coveringCheckpoint(sql, options.checkpoints);
  const decisions: RetentionDecision[] = [];
  let blocked = false;
  for (const partition of old) {
    if (blocked) {
      decisions.push({ partition: partition.name, action: 'kept', reason: 'earlier_kept' });
      continue;
    }
    const [stats] = (await sql(
      `SELECT max(seq)::text AS last, count(*)::text AS records FROM audit.${partition.name}`,
    )) as { last: string | null; records: string }[];
    if (stats.last !== null) {
      if (!coverage || BigInt(coverage.headSeq) < BigInt(stats.last)) {
        decisions.push({ partition: partition.name, action: 'kept', reason: 'not_covered' });
        blocked = true;
        continue;
      }
      const [earlier] = (await sql(
        `SELECT 1 FROM audit.event WHERE seq < $1 AND NOT (received_at >= $2 AND received_at < $3) LIMIT 1`,
        [stats.last, partition.from, partition.to],
      )) as unknown[];
      if (earlier !== undefined) {
        decisions.push({ partition: partition.name, action: 'kept', reason: 'not_a_prefix' });
        blocked = true;
        continue;
      }
    }
    if (!options.dryRun) {
      await dropPartition(sql, partition.name, stats.last, Number(stats.records), options.now, coverage);
    }
    decisions.push({
      partition: partition.name,
      action: 'dropped',
      records: Number(stats.records),
      upToSeq: stats.last === null ? null : Number(stats.last),
    });
  }
  return decisions;
}

/** The latest checkpoint whose head the table still holds with the signed hash. */
async function coveringCheckpoint(
  sql: SqlRunner,
  checkpoints: AuditCheckpoint[],
): Promise<AuditCheckpoint | undefined> {
  const latestFirst = [...checkpoints].sort((a, b) => b.headSeq - a.headSeq);
  for (const checkpoint of latestFirst) {
    const [row] = (await sql('SELECT hash FROM audit.event WHERE seq = $1', [checkpoint.headSeq])) as {
      hash: string;
    }[];
    if (row?.hash === checkpoint.headHash) {
      return checkpoint;
    }
  }
  return undefined;
}

async function dropPartition(
  sql: SqlRunner,
  name: string,
  last: string | null,
  records: number,
  now: Date,
  coverage: AuditCheckpoint | undefined,
): Promise<void> {
  await sql('BEGIN');
  try {
    if (last !== null) {
      // The chain's length up to the last dropped record: the previous cut's plus this partition's.
      await sql(
        `INSERT INTO audit.chain_cut (partition, dropped_at, up_to_seq, up_to_hash, count, checkpoint_head_seq)
         SELECT $1, $2, e.seq, e.hash,
                coalesce((SELECT count FROM audit.chain_cut ORDER BY up_to_seq DESC LIMIT 1), 0) + $4,
                $5
           FROM audit.event e WHERE e.seq = $3`,
        [name, now, last, records, coverage?.headSeq ?? 0],
      );
    }
    await sql(`DROP TABLE audit.${name}`);
    await sql('COMMIT');
  } catch (error) {
    await sql('ROLLBACK');
    throw error;
  }
}
