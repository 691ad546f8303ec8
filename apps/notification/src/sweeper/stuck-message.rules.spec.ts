import { decideStuckMessage, StuckMessage, StuckMessageFacts } from './stuck-message.rules';

describe(decideStuckMessage.name, () => {
  const now = new Date('2026-01-01T12:00:00Z');
  const ago = (ms: number) => new Date(now.getTime() - ms);
  const later = (ms: number) => new Date(now.getTime() + ms);
  const STALE_MS = 60_000;

  const row = (over: Partial<StuckMessage> = {}): StuckMessage => ({
    status: 'queued',
    claimedUntil: null,
    expiresAt: later(5 * 60_000),
    updatedAt: ago(10 * 60_000),
    sealedJob: null,
    ...over,
  });
  const facts = (over: Partial<StuckMessageFacts> = {}): StuckMessageFacts => ({
    acceptedAt: null,
    jobExists: false,
    ...over,
  });
  const decide = (r: StuckMessage, f: StuckMessageFacts = facts()) => decideStuckMessage(r, now, f, STALE_MS);

  it('leaves a record that is no longer queued', () => {
    for (const status of ['sent', 'failed', 'expired', 'delivered', 'bounced'] as const) {
      expect(decide(row({ status }))).toEqual({ kind: 'leave' });
    }
  });

  describe('a claimed record (a worker called, or is calling, the provider)', () => {
    it('is recorded sent at the noted time when the provider took it, even with the claim still live', () => {
      const at = ago(90_000);
      expect(decide(row({ claimedUntil: later(30_000) }), facts({ acceptedAt: at }))).toEqual({
        kind: 'record_sent',
        at,
      });
    });

    it('is recorded sent when the provider took it, even past its expiry', () => {
      const at = ago(10 * 60_000);
      expect(
        decide(row({ claimedUntil: ago(1), expiresAt: ago(60_000) }), facts({ acceptedAt: at })),
      ).toEqual({ kind: 'record_sent', at });
    });

    it('is left alone while the claim is live', () => {
      expect(decide(row({ claimedUntil: later(1) }))).toEqual({ kind: 'leave' });
    });

    it('ends outcome_unknown once the claim ran out, never sent again', () => {
      expect(decide(row({ claimedUntil: now }))).toEqual({ kind: 'outcome_unknown' });
      expect(decide(row({ claimedUntil: ago(1) }), facts({ jobExists: true }))).toEqual({
        kind: 'outcome_unknown',
      });
    });

    it('gives back a lapsed claim whose run never called the provider (its lease was noted)', () => {
      const lease = ago(1);
      expect(decide(row({ claimedUntil: lease }), facts({ unusedClaim: new Date(lease) }))).toEqual({
        kind: 'drop_unused_claim',
        lease,
      });
    });

    it('ends outcome_unknown when the noted lease is another run’s', () => {
      expect(decide(row({ claimedUntil: ago(1) }), facts({ unusedClaim: ago(2) }))).toEqual({
        kind: 'outcome_unknown',
      });
    });

    it('ends outcome_unknown, not expired, when the claim ran out after the expiry', () => {
      expect(decide(row({ claimedUntil: ago(1), expiresAt: ago(60_000) }))).toEqual({
        kind: 'outcome_unknown',
      });
    });
  });

  describe('an unclaimed record (never with a provider, or given back after a failed try)', () => {
    it('expires at expiresAt, with or without its job', () => {
      expect(decide(row({ expiresAt: now }))).toEqual({ kind: 'expire' });
      expect(decide(row({ expiresAt: ago(1) }), facts({ jobExists: true }))).toEqual({ kind: 'expire' });
    });

    it('is left to its job while the job exists', () => {
      expect(decide(row(), facts({ jobExists: true }))).toEqual({ kind: 'leave' });
      expect(decide(row({ expiresAt: null }), facts({ jobExists: true }))).toEqual({ kind: 'leave' });
    });

    it('is left alone a millisecond before its expiry', () => {
      expect(decide(row({ expiresAt: later(1) }), facts({ jobExists: true }))).toEqual({ kind: 'leave' });
    });

    it('fails job_lost when its job is gone and it is still valid, or has no expiry', () => {
      expect(decide(row())).toEqual({ kind: 'job_lost' });
      expect(decide(row({ expiresAt: null }))).toEqual({ kind: 'job_lost' });
    });

    it('is queued again from its sealed copy when its job is gone and it is still valid', () => {
      expect(decide(row({ sealedJob: 'v1.x' }))).toEqual({ kind: 'requeue' });
      expect(decide(row({ sealedJob: 'v1.x' }), facts({ jobExists: true }))).toEqual({ kind: 'leave' });
      expect(decide(row({ sealedJob: 'v1.x', expiresAt: now }))).toEqual({ kind: 'expire' });
    });

    it('is not called lost while it was touched within the staleness margin', () => {
      expect(decide(row({ updatedAt: ago(STALE_MS - 1) }))).toEqual({ kind: 'leave' });
      expect(decide(row({ updatedAt: ago(STALE_MS) }))).toEqual({ kind: 'job_lost' });
    });
  });
});
