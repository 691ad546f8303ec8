import { NotificationJobData } from '@app/contracts';
import { NewAuditEvent, OutboxRow, OutboxWriter } from '@app/database';
import { MessageRepository } from '../messages/message.repository';
import { ProviderAcceptanceStore } from './provider-acceptance.store';
import { SentRecord, SentRecorder } from './sent-recorder';

/** The batch statement, in memory: which ids each write held, and which of them were still claimed. */
class RecordingMessages {
  writes: string[][] = [];
  claimed = new Set<string>();
  failNext: Error | null = null;
  private release: (() => void) | null = null;
  /** While set, a write waits until `unblock` (so the test can queue records meanwhile). */
  blocked = false;

  async writeDeliveries(
    claims: { data: NotificationJobData }[],
    sent: { messageId: string; fact: OutboxRow }[],
  ): Promise<{ attempts: Map<string, number>; sent: Set<string> }> {
    this.writes.push([...sent.map((s) => s.messageId), ...claims.map((c) => `claim:${c.data.messageId}`)]);
    if (this.blocked) {
      await new Promise<void>((resolve) => (this.release = resolve));
    }
    if (this.failNext) {
      const error = this.failNext;
      this.failNext = null;
      throw error;
    }
    const changed = new Set(sent.map((s) => s.messageId).filter((id) => this.claimed.has(id)));
    changed.forEach((id) => this.claimed.delete(id));
    const attempts = new Map<string, number>();
    for (const { data } of claims) {
      if (!this.claimed.has(data.messageId)) {
        this.claimed.add(data.messageId);
        attempts.set(data.messageId, 1);
      }
    }
    return { attempts, sent: changed };
  }

  unblock(): void {
    this.blocked = false;
    this.release?.();
  }
}

describe(SentRecorder.name, () => {
  let messages: RecordingMessages;
  let forgotten: string[][];
  let sut: SentRecorder;

  const record = (messageId: string): SentRecord => ({
    messageId,
    at: new Date('2026-01-01T00:00:00Z'),
    providerMessageId: null,
    fact: { type: 'notification.message.sent', outcome: 'success', actor: {}, reasons: [] } as NewAuditEvent,
  });

  beforeEach(() => {
    messages = new RecordingMessages();
    forgotten = [];
    const outbox = {
      prepare: (e: NewAuditEvent) => ({ id: 'f', subject: 's', payload: JSON.stringify(e), event: e }),
      table: '"notification".outbox',
    } as unknown as OutboxWriter;
    const acceptance = {
      forget: async (ids: string[]) => void forgotten.push(ids),
    } as unknown as ProviderAcceptanceStore;
    sut = new SentRecorder(messages as unknown as MessageRepository, outbox, acceptance);
  });

  it('writes the records of one moment in one statement and answers each with its own outcome', async () => {
    ['a', 'b', 'c'].forEach((id) => messages.claimed.add(id));
    const answers = await Promise.all(['a', 'b', 'c', 'x'].map((id) => sut.record(record(id))));
    expect(messages.writes).toEqual([['a', 'b', 'c', 'x']]);
    // `x` was not claimed any more: no change, and no error either.
    expect(answers).toEqual([true, true, true, false]);
    expect(forgotten).toEqual([['a', 'b', 'c', 'x']]);
  });

  it('puts records that arrive during a write in the next one, a repeated id in a later one still', async () => {
    ['a', 'b', 'c'].forEach((id) => messages.claimed.add(id));
    messages.blocked = true;
    const first = sut.record(record('a'));
    await new Promise((resolve) => setImmediate(resolve));
    const later = [sut.record(record('b')), sut.record(record('c')), sut.record(record('b'))];
    messages.unblock();
    expect(await Promise.all([first, ...later])).toEqual([true, true, true, false]);
    expect(messages.writes).toEqual([['a'], ['b', 'c'], ['b']]);
  });

  it('claims and records in one statement, a message both claimed and recorded in the next one', async () => {
    messages.claimed.add('a');
    const claim = (id: string) =>
      sut.claim({ messageId: id } as NotificationJobData, new Date(), new Date(Date.now() + 1000));
    const answers = await Promise.all([sut.record(record('a')), claim('b'), claim('a'), claim('c')]);
    expect(messages.writes).toEqual([['a', 'claim:b', 'claim:c'], ['claim:a']]);
    // `a` was recorded `sent`, then claimed again by its repeated job: free once more in this fake.
    expect(answers).toEqual([true, 1, 1, 1]);
    expect(forgotten).toEqual([['a']]);
  });

  it('fails every claim and record of a write the database refused, and keeps their acceptance marks', async () => {
    messages.failNext = new Error('connection terminated');
    const claim = sut.claim({ messageId: 'c' } as NotificationJobData, new Date(), new Date());
    await expect(Promise.allSettled([claim, sut.record(record('b'))])).resolves.toEqual([
      expect.objectContaining({ status: 'rejected' }),
      expect.objectContaining({ status: 'rejected' }),
    ]);
  });

  it('fails every record of a write the database refused, and keeps their acceptance marks', async () => {
    messages.claimed.add('a');
    messages.failNext = new Error('connection terminated');
    const answers = await Promise.allSettled([sut.record(record('a')), sut.record(record('b'))]);
    expect(answers.map((a) => a.status)).toEqual(['rejected', 'rejected']);
    expect(forgotten).toEqual([]);
    // The next record starts a write of its own.
    await expect(sut.record(record('a'))).resolves.toBe(true);
  });
});
