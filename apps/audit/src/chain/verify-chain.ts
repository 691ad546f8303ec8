import { DataSource } from 'typeorm';
import { AuditEventRecord } from '../store/audit-event-record.entity';
import { toChainRecord } from '../store/audit-event-record.mapper';
import { chainHash, GENESIS_HASH } from './chain-record';

export type ChainVerification =
  | { ok: true; count: number }
  /**
   * `firstBrokenSeq` is the first record whose content no longer matches its hash, or whose
   * prev_hash is not the hash of the record before it (a record removed or re-ordered before it).
   */
  | { ok: false; firstBrokenSeq: number; reason: 'hash_mismatch' | 'prev_hash_mismatch'; count: number };

const PAGE = 1000;

/**
 * Walks the whole audit trail in chain order and recomputes every link (AUDIT-3). Reads one
 * snapshot (REPEATABLE READ), so appends made meanwhile neither break nor extend what is checked.
 * The data source must know AUDIT_ENTITIES (the service's own, or apps/audit/src/data-source).
 *
 * What a hash chain cannot show on its own: records cut off the end of the chain. Compare `count`
 * and the last hash with a copy kept elsewhere (the AUDIT stream, a report) for that.
 */
export async function verifyChain(dataSource: DataSource): Promise<ChainVerification> {
  const runner = dataSource.createQueryRunner();
  await runner.connect();
  try {
    await runner.startTransaction('REPEATABLE READ');
    let expectedPrev = GENESIS_HASH;
    let after = '0';
    let count = 0;
    for (;;) {
      const page = await runner.manager
        .getRepository(AuditEventRecord)
        .createQueryBuilder('e')
        .where('e.seq > :after', { after })
        .orderBy('e.seq', 'ASC')
        .limit(PAGE)
        .getMany();
      for (const row of page) {
        const seq = Number(row.seq);
        if (row.prevHash !== expectedPrev) {
          return { ok: false, firstBrokenSeq: seq, reason: 'prev_hash_mismatch', count };
        }
        if (chainHash(row.prevHash, toChainRecord(row)) !== row.hash) {
          return { ok: false, firstBrokenSeq: seq, reason: 'hash_mismatch', count };
        }
        expectedPrev = row.hash;
        count += 1;
      }
      if (page.length < PAGE) {
        return { ok: true, count };
      }
      after = page[page.length - 1].seq;
    }
  } finally {
    if (runner.isTransactionActive) {
      await runner.rollbackTransaction();
    }
    await runner.release();
  }
}
