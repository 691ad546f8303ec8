import { APP_CONFIG, AuthEnv, Clock } from '@app/config';
import { LOGGER } from '@app/observability';
import { FakeClock, MockOf, newTestService, silentLogger } from '@app/testing';
import { RESET_COOLDOWN_MS } from '../password-reset/password-reset.service';
import {
  AnonymousRowsPruner,
  KEEP_MS,
  MAX_BATCHES,
  PRUNE_BATCH,
  STALE_COUNT_MS,
} from './anonymous-rows.pruner';
import { PruningRepository } from './pruning.repository';

describe(AnonymousRowsPruner.name, () => {
  const clock = new FakeClock(new Date('2026-01-01T00:00:00Z'));
  const ago = (ms: number) => new Date(clock.now().getTime() - ms);
  let sut: AnonymousRowsPruner;
  let rows: MockOf<PruningRepository>;

  beforeEach(async () => {
    const t = await newTestService(AnonymousRowsPruner, [
      { provide: Clock, useValue: clock },
      { provide: APP_CONFIG, useValue: { PRUNE_INTERVAL_SECONDS: 60 } as AuthEnv },
      { provide: LOGGER, useValue: silentLogger() },
    ]);
    sut = t.sut;
    rows = t.mock(PruningRepository);
    rows.deleteBatch.mockResolvedValue(0);
  });

  it('visits every table once with the day kept, the day a count is remembered and the reset pause', async () => {
    expect(await sut.pruneOnce()).toEqual({
      loginThrottle: 0,
      passwordResetGuard: 0,
      webauthnChallenge: 0,
      loginFlow: 0,
      passwordResetToken: 0,
    });
    const cutoffs = {
      now: clock.now(),
      kept: ago(KEEP_MS),
      stale: ago(STALE_COUNT_MS),
      cooledDown: ago(RESET_COOLDOWN_MS),
    };
    expect(rows.deleteBatch.mock.calls).toEqual([
      ['loginThrottle', cutoffs, PRUNE_BATCH],
      ['passwordResetGuard', cutoffs, PRUNE_BATCH],
      ['webauthnChallenge', cutoffs, PRUNE_BATCH],
      ['loginFlow', cutoffs, PRUNE_BATCH],
      ['passwordResetToken', cutoffs, PRUNE_BATCH],
    ]);
  });

  it('goes on with a table while its batches come back full, and adds them up', async () => {
    rows.deleteBatch.mockImplementation(async (table) => (table === 'loginFlow' ? PRUNE_BATCH : 0));
    rows.deleteBatch
      .mockResolvedValueOnce(PRUNE_BATCH)
      .mockResolvedValueOnce(PRUNE_BATCH)
      .mockResolvedValueOnce(7);
    const counts = await sut.pruneOnce();
    expect(counts.loginThrottle).toBe(PRUNE_BATCH * 2 + 7);
    expect(rows.deleteBatch.mock.calls.filter(([t]) => t === 'loginThrottle')).toHaveLength(3);
    // A backlog larger than a run's bound is left for the next run.
    expect(counts.loginFlow).toBe(PRUNE_BATCH * MAX_BATCHES);
    expect(rows.deleteBatch.mock.calls.filter(([t]) => t === 'loginFlow')).toHaveLength(MAX_BATCHES);
    expect(counts.passwordResetToken).toBe(0);
  });
});
