import { DataSource } from 'typeorm';
import {
  ChainVerification,
  verifyChain as verifyChainSql,
  VerifyWindow,
  withSnapshot,
} from '@app/audit-chain';

/**
 * Walks the trail of the audit service's data source in one snapshot (see `@app/audit-chain`
 * verifyChain), on one connection of its pool.
 */
export async function verifyChain(
  dataSource: DataSource,
  window: VerifyWindow = {},
): Promise<ChainVerification> {
  const runner = dataSource.createQueryRunner();
  await runner.connect();
  try {
    const sql = (text: string, params?: unknown[]): Promise<unknown[]> =>
      runner.query(text, params) as Promise<unknown[]>;
    return await withSnapshot(sql, (snapshot) => verifyChainSql(snapshot, window));
  } finally {
    await runner.release();
  }
}
