import { AuditCheckpoint } from '@app/contracts';
import { AUDIT_EVENT_COLUMNS, AuditEventRow, chainRecordOfRow } from './chain-row';
import { chainHash, GENESIS_HASH } from './chain-record';

/** Runs one SQL statement and gives its rows (a pg client, a TypeORM query runner, …). */
export type SqlRunner = (sql: string, params?: unknown[]) => Promise<unknown[]>;

/**
 * Why a record breaks the chain:
 * - `hash_mismatch`: its content no longer gives its hash (a field was changed);
 * - `gap`: the record it names as previous is not in the table (one was removed before it);
 * - `reordered`: the record it names as previous is in the table, but not just before it.
 */
export type ChainBreak = 'hash_mismatch' | 'gap' | 'reordered';

export interface BrokenRecord {
  seq: number;
  id: string;
  occurredAt: string;
  reason: ChainBreak;
}

/**
 * A signed checkpoint the table no longer matches: the record at its head has another hash, the
 * chain up to it has another length, or the record is gone (the table was cut or renumbered).
 */
export interface CheckpointMismatch {
  checkpoint: AuditCheckpoint;
  reason: 'hash_differs' | 'count_differs' | 'head_missing';
  /** What the table has at the checkpoint's head, when it has a record there. */
  found?: { hash: string; count: number | null };
}

export type ChainVerification =
  /** `checkpoints`: how many checkpoints were compared with the table. */
  | { ok: true; count: number; headHash: string | null; checkpoints: number }
  /** `count` records were verified before the first broken one. */
  | { ok: false; count: number; broken: BrokenRecord }
  | { ok: false; count: number; mismatch: CheckpointMismatch };

export interface VerifyWindow {
  /** Records received at or after this time (inclusive). */
  from?: Date;
  /** Records received before this time (exclusive). */
  to?: Date;
  /**
   * Signed checkpoints (their signatures already checked) to compare with the table: a chain
   * rewritten consistently, or cut at its end, still differs from what was signed.
   */
  checkpoints?: AuditCheckpoint[];
}

const PAGE = 5000;

/**
 * Walks the audit trail in chain order (`seq`) and recomputes every link (AUDIT-3). The caller runs
 * it inside one REPEATABLE READ transaction (see `withSnapshot`), so appends made meanwhile neither
 * break nor extend what is checked. With a window, the walk starts at the first record received
 * at or after `from` and trusts that record's link to the one before it (it is outside the window).
 *
 * After retention dropped the oldest partitions, the walk starts at the first kept record, which
 * must link to the last dropped one as `audit.chain_cut` recorded it (else it is a `gap`), and
 * checkpoint counts are compared with the chain's length including the dropped records.
 *
 * What a hash chain cannot show on its own: records cut off its end, or a whole chain rewritten
 * consistently. Signed checkpoints cover both.
 */
export async function verifyChain(sql: SqlRunner, window: VerifyWindow = {}): Promise<ChainVerification> {
  const bounds = await seqBounds(sql, window);
  const checkpoints = [...(window.checkpoints ?? [])].sort((a, b) => a.headSeq - b.headSeq);
  if (!bounds) {
    const first = checkpoints[0];
    return first && window.from === undefined && window.to === undefined
      ? { ok: false, count: 0, mismatch: { checkpoint: first, reason: 'head_missing' } }
      : { ok: true, count: 0, headHash: null, checkpoints: 0 };
  }
  const fromStart = bounds.first === bounds.min;
  // Retention may have dropped the chain's oldest months: the first kept record then links to the
  // last dropped one, which `audit.chain_cut` names with the chain's length up to it.
  const cut = fromStart && bounds.cut && BigInt(bounds.cut.seq) < BigInt(bounds.min) ? bounds.cut : undefined;
  /** Records of the chain before the first walked one, when known (from the start, or from a cut). */
  const before = cut ? Number(cut.count) : 0;
  // Only the checkpoints whose head lies in the walked stretch; without --to, every later one too
  // (the table must reach it: records cut off the end are what a chain alone cannot show).
  const inScope = checkpoints.filter(
    (c) => c.headSeq >= Number(bounds.first) && (window.to === undefined || c.headSeq <= Number(bounds.last)),
  );
  let nextCheckpoint = 0;
  let expectedPrev: string | null = cut ? cut.hash : fromStart ? GENESIS_HASH : null;
  let after = (BigInt(bounds.first) - 1n).toString();
  let count = 0;
  let head: string | null = null;
  for (;;) {
    const page = (await sql(
      `SELECT ${AUDIT_EVENT_COLUMNS} FROM audit.event WHERE seq > $1 AND seq <= $2 ORDER BY seq LIMIT ${PAGE}`,
      [after, bounds.last],
    )) as AuditEventRow[];
    for (const row of page) {
      if (expectedPrev !== null && row.prev_hash !== expectedPrev) {
        const [named] = (await sql('SELECT 1 FROM audit.event WHERE hash = $1 LIMIT 1', [
          row.prev_hash,
        ])) as unknown[];
        return { ok: false, count, broken: brokenOf(row, named === undefined ? 'gap' : 'reordered') };
      }
      if (chainHash(row.prev_hash, chainRecordOfRow(row)) !== row.hash) {
        return { ok: false, count, broken: brokenOf(row, 'hash_mismatch') };
      }
      expectedPrev = row.hash;
      head = row.hash;
      count += 1;
      const seq = Number(row.seq);
      while (nextCheckpoint < inScope.length && inScope[nextCheckpoint].headSeq <= seq) {
        const checkpoint = inScope[nextCheckpoint++];
        const mismatch = compareCheckpoint(checkpoint, row, seq, fromStart ? before + count : null);
        if (mismatch) {
          return { ok: false, count, mismatch };
        }
      }
    }
    if (page.length < PAGE) {
      const missing = inScope[nextCheckpoint];
      if (missing) {
        return { ok: false, count, mismatch: { checkpoint: missing, reason: 'head_missing' } };
      }
      return { ok: true, count, headHash: head, checkpoints: inScope.length };
    }
    after = page[page.length - 1].seq;
  }
}

/** Runs `fn` on one connection inside a read-only REPEATABLE READ transaction, rolled back after. */
export async function withSnapshot<T>(sql: SqlRunner, fn: (sql: SqlRunner) => Promise<T>): Promise<T> {
  await sql('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
  try {
    return await fn(sql);
  } finally {
    await sql('ROLLBACK');
  }
}

/** `count` is the chain's length up to `row` when the walk started at its first record. */
function compareCheckpoint(
  checkpoint: AuditCheckpoint,
  row: AuditEventRow,
  seq: number,
  count: number | null,
): CheckpointMismatch | undefined {
  if (checkpoint.headSeq !== seq) {
    return { checkpoint, reason: 'head_missing' };
  }
  if (checkpoint.headHash !== row.hash) {
    return { checkpoint, reason: 'hash_differs', found: { hash: row.hash, count } };
  }
  if (count !== null && checkpoint.count !== count) {
    return { checkpoint, reason: 'count_differs', found: { hash: row.hash, count } };
  }
  return undefined;
}

function brokenOf(row: AuditEventRow, reason: ChainBreak): BrokenRecord {
  return { seq: Number(row.seq), id: row.id, occurredAt: row.occurred_at.toISOString(), reason };
}

/** Where retention cut the chain: the last dropped record and the chain's length up to it. */
interface ChainCut {
  seq: string;
  hash: string;
  count: string;
}

/** The first and last seq of the window, the first seq of the whole chain, and the latest cut. */
async function seqBounds(
  sql: SqlRunner,
  window: VerifyWindow,
): Promise<{ min: string; first: string; last: string; cut?: ChainCut } | undefined> {
  const [row] = (await sql(
    `SELECT (SELECT min(seq) FROM audit.event)::text AS min,
            (SELECT min(seq) FROM audit.event WHERE $1::timestamptz IS NULL OR received_at >= $1)::text AS first,
            (SELECT max(seq) FROM audit.event WHERE $2::timestamptz IS NULL OR received_at < $2)::text AS last,
            (SELECT json_build_object('seq', up_to_seq::text, 'hash', up_to_hash, 'count', count::text)
               FROM audit.chain_cut ORDER BY up_to_seq DESC LIMIT 1) AS cut`,
    [window.from ?? null, window.to ?? null],
  )) as { min: string | null; first: string | null; last: string | null; cut: ChainCut | null }[];
  if (row.min === null || row.first === null || row.last === null || BigInt(row.first) > BigInt(row.last)) {
    return undefined;
  }
  return { min: row.min, first: row.first, last: row.last, cut: row.cut ?? undefined };
}
