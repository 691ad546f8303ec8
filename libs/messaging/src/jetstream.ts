import { connect, JetStreamManager, NatsConnection, RetentionPolicy, StorageType, nanos } from 'nats';
import { AUDIT_STREAM, AUDIT_SUBJECT_PREFIX } from '@app/contracts';
import { natsConnectionOptions } from './nats-connection';

export async function connectNats(url: string, name: string): Promise<NatsConnection> {
  return connect(natsConnectionOptions(url, name));
}

/**
 * Creates the AUDIT stream if it is missing. File storage keeps facts across a NATS restart; the
 * duplicate window lets the outbox relay republish after a crash without writing a fact twice.
 */
export async function ensureAuditStream(jsm: JetStreamManager): Promise<void> {
  const config = {
    name: AUDIT_STREAM,
    subjects: [`${AUDIT_SUBJECT_PREFIX}.>`],
    retention: RetentionPolicy.Limits,
    storage: StorageType.File,
    duplicate_window: nanos(10 * 60 * 1000),
    max_age: nanos(400 * 24 * 60 * 60 * 1000),
  };
  try {
    await jsm.streams.info(AUDIT_STREAM);
  } catch {
    try {
      await jsm.streams.add(config);
    } catch (error) {
      // Another replica created it between our two calls.
      await jsm.streams.info(AUDIT_STREAM).catch(() => {
        throw error;
      });
    }
  }
}
