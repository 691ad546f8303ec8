import { KeyObject } from 'node:crypto';
import { checkpointSignatureValid } from '@app/audit-chain';
import { AUDIT_CHECKPOINT_STREAM, AuditCheckpoint } from '@app/contracts';
import { connectNats, NatsSettings } from '@app/messaging';

export interface CheckpointsRead {
  /** Checkpoints signed by the given key. */
  valid: AuditCheckpoint[];
  /** Stream sequence numbers of messages that claim the key but whose signature fails, or that are no checkpoint. */
  invalid: number[];
  /** Checkpoints that name another key (an earlier key, another environment's): not compared. */
  otherKeys: number;
}

/**
 * Every checkpoint in the AUDIT_CHECKPOINTS stream, read with an ordered (ephemeral) consumer from
 * the first message to the last one present when the read began, each signature checked.
 */
export async function readCheckpoints(
  nats: NatsSettings,
  publicKey: KeyObject,
  keyId: string,
): Promise<CheckpointsRead> {
  const nc = await connectNats(nats, 'mamori-cli-audit-verify');
  try {
    const jsm = await nc.jetstreamManager();
    const info = await jsm.streams.info(AUDIT_CHECKPOINT_STREAM);
    const lastSeq = info.state.last_seq;
    const result: CheckpointsRead = { valid: [], invalid: [], otherKeys: 0 };
    if (info.state.messages === 0) {
      return result;
    }
    const consumer = await nc.jetstream().consumers.get(AUDIT_CHECKPOINT_STREAM);
    let seen = info.state.first_seq - 1;
    for (let done = false; !done;) {
      // No more than what is left, so the last fetch ends with its last message, not at its expiry.
      const batch = await consumer.fetch({ max_messages: Math.min(1000, lastSeq - seen), expires: 5000 });
      let received = 0;
      for await (const msg of batch) {
        received += 1;
        const checkpoint = parseCheckpoint(msg.string());
        if (checkpoint && checkpoint.keyId !== keyId) {
          result.otherKeys += 1;
        } else if (checkpoint && checkpointSignatureValid(checkpoint, publicKey)) {
          result.valid.push(checkpoint);
        } else {
          result.invalid.push(msg.seq);
        }
        seen = msg.seq;
        done ||= msg.seq >= lastSeq;
      }
      done ||= received === 0;
    }
    return result;
  } finally {
    await nc.close();
  }
}

function parseCheckpoint(text: string): AuditCheckpoint | undefined {
  try {
    const value = JSON.parse(text) as Partial<AuditCheckpoint>;
    return typeof value.count === 'number' &&
      typeof value.headSeq === 'number' &&
      typeof value.headHash === 'string' &&
      typeof value.time === 'string' &&
      typeof value.signature === 'string'
      ? (value as AuditCheckpoint)
      : undefined;
  } catch {
    return undefined;
  }
}
