import {
  connect,
  DiscardPolicy,
  JetStreamManager,
  NatsConnection,
  RetentionPolicy,
  StorageType,
  StreamConfig,
  nanos,
} from 'nats';
import { AUDIT_STREAM, AUDIT_SUBJECT_PREFIX } from '@app/contracts';
import { natsConnectionOptions, NatsSettings } from './nats-options';

export async function connectNats(settings: NatsSettings, name: string): Promise<NatsConnection> {
  return connect(natsConnectionOptions(settings, name));
}

/** The AUDIT stream's operator settings (AUDIT_STREAM_* in the environment). */
export interface AuditStreamSettings {
  replicas: number;
  /** -1: no cap. */
  maxBytes: number;
  maxAgeDays: number;
  maxMsgBytes: number;
}

export const DEFAULT_AUDIT_STREAM_SETTINGS: AuditStreamSettings = {
  replicas: 1,
  maxBytes: -1,
  maxAgeDays: 400,
  maxMsgBytes: 1024 * 1024,
};

/** The settings as the environment gives them. */
export function auditStreamSettings(env: {
  AUDIT_STREAM_REPLICAS: number;
  AUDIT_STREAM_MAX_BYTES: number;
  AUDIT_STREAM_MAX_AGE_DAYS: number;
  AUDIT_STREAM_MAX_MSG_BYTES: number;
}): AuditStreamSettings {
  return {
    replicas: env.AUDIT_STREAM_REPLICAS,
    maxBytes: env.AUDIT_STREAM_MAX_BYTES,
    maxAgeDays: env.AUDIT_STREAM_MAX_AGE_DAYS,
    maxMsgBytes: env.AUDIT_STREAM_MAX_MSG_BYTES,
  };
}

/** The stream's wanted configuration: the fixed part and the operator's settings. */
export function auditStreamConfig(settings: AuditStreamSettings): Partial<StreamConfig> & { name: string } {
  return {
    name: AUDIT_STREAM,
    subjects: [`${AUDIT_SUBJECT_PREFIX}.>`],
    retention: RetentionPolicy.Limits,
    storage: StorageType.File,
    // Limits retention keeps consumed messages too: at the size cap the oldest go, never the new.
    discard: DiscardPolicy.Old,
    duplicate_window: nanos(10 * 60 * 1000),
    num_replicas: settings.replicas,
    max_bytes: settings.maxBytes,
    max_age: nanos(settings.maxAgeDays * 24 * 60 * 60 * 1000),
    max_msg_size: settings.maxMsgBytes,
  };
}

/** The settings an operator changes, in the form StreamInfo reports them. */
const RECONCILED = [
  'num_replicas',
  'max_bytes',
  'max_age',
  'max_msg_size',
  'duplicate_window',
  'discard',
] as const;

/**
 * Creates the AUDIT stream if it is missing, and otherwise brings its configuration to the
 * settings (replicas, size and age limits), so a changed setting takes effect at the next start
 * and a stream lost by NATS is made again. File storage keeps facts across a NATS restart; the
 * duplicate window lets the outbox relay republish after a crash without writing a fact twice.
 * Answers what it did.
 */
export async function ensureAuditStream(
  jsm: JetStreamManager,
  settings: AuditStreamSettings = DEFAULT_AUDIT_STREAM_SETTINGS,
): Promise<'created' | 'updated' | 'unchanged'> {
  const wanted = auditStreamConfig(settings);
  let current: StreamConfig | undefined;
  try {
    current = (await jsm.streams.info(AUDIT_STREAM)).config;
  } catch {
    try {
      await jsm.streams.add(wanted);
      return 'created';
    } catch (error) {
      // Another replica created it between our two calls.
      current = (
        await jsm.streams.info(AUDIT_STREAM).catch(() => {
          throw error;
        })
      ).config;
    }
  }
  const drifted = RECONCILED.some((key) => current[key] !== wanted[key]);
  if (!drifted) {
    return 'unchanged';
  }
  await jsm.streams.update(AUDIT_STREAM, { ...current, ...wanted });
  return 'updated';
}
