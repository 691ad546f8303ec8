import { DiscardPolicy, JetStreamManager, nanos, RetentionPolicy, StorageType, StreamConfig } from 'nats';
import { CASE_ALERTS_STREAM, CASE_ALERTS_SUBJECT } from '@app/contracts';

/** How long a queued alert waits for the case service before NATS drops it: far beyond any outage. */
const MAX_AGE_DAYS = 30;

/**
 * The CASE_ALERTS stream (CASE-9): alerts the gateway took while the case service could not answer.
 * A work queue (a message leaves once the case service acked it), on file storage so a NATS restart
 * keeps it; new alerts are refused rather than old ones dropped when it is full, so the gateway
 * answers an error the sender retries instead of losing an accepted alert. The duplicate window drops
 * a second publish of the same alert id (a gateway retry).
 */
export function caseAlertsStreamConfig(): Partial<StreamConfig> & { name: string } {
  return {
    name: CASE_ALERTS_STREAM,
    subjects: [CASE_ALERTS_SUBJECT],
    retention: RetentionPolicy.Workqueue,
    storage: StorageType.File,
    discard: DiscardPolicy.New,
    duplicate_window: nanos(10 * 60 * 1000),
    max_age: nanos(MAX_AGE_DAYS * 24 * 60 * 60 * 1000),
    max_msg_size: 1024 * 1024,
  };
}

/** Creates the stream when it is missing (the gateway may need it before the case service ever ran). */
export async function ensureCaseAlertsStream(jsm: JetStreamManager): Promise<void> {
  try {
    await jsm.streams.info(CASE_ALERTS_STREAM);
    return;
  } catch {
    // Missing: create it below.
  }
  try {
    await jsm.streams.add(caseAlertsStreamConfig());
  } catch (error) {
    // Another process created it between our two calls.
    await jsm.streams.info(CASE_ALERTS_STREAM).catch(() => {
      throw error;
    });
  }
}
