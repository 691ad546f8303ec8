import { AttachmentStore } from '@app/attachment-store';

/** Orphans claimed per statement: short transactions whatever the backlog. */
export const SWEEP_BATCH = 100;
/** Batches per run: a run ends in bounded time; the next run takes the rest. */
export const MAX_BATCHES = 20;

/**
 * Records of uploads into the attachments' store that may never commit (case attachments, files of
 * knowledge articles, …): the sweep claims the pending ones begun before a time, deletes their
 * bytes, then forgets them.
 */
export interface OrphanUploads {
  claimOrphans(before: Date, now: Date, limit: number): Promise<{ id: string; storageKey: string }[]>;
  forget(id: string): Promise<void>;
}

/**
 * One sweep of `uploads`: claims orphans in batches, deletes each one's bytes, then its row (a crash
 * in between leaves the claimed row for the next run). Returns how many were removed.
 */
export async function sweepOrphans(
  uploads: OrphanUploads,
  store: AttachmentStore,
  before: Date,
  now: Date,
): Promise<number> {
  let removed = 0;
  for (let batch = 0; batch < MAX_BATCHES; batch += 1) {
    const claimed = await uploads.claimOrphans(before, now, SWEEP_BATCH);
    for (const orphan of claimed) {
      await store.delete(orphan.storageKey);
      await uploads.forget(orphan.id);
      removed += 1;
    }
    if (claimed.length < SWEEP_BATCH) {
      break;
    }
  }
  return removed;
}
