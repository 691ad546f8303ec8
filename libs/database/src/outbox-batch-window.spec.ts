import { FakeClock } from '@app/testing';
import { OutboxBatchWindow } from './outbox-batch-window';

describe(OutboxBatchWindow.name, () => {
  const clock = new FakeClock(new Date('2026-01-01T00:00:00Z'));
  let sut: OutboxBatchWindow;

  beforeEach(() => {
    sut = new OutboxBatchWindow(clock, 10);
  });

  it('answers the first wake-up at once: no pass has run yet', () => {
    expect(sut.delayBeforePass()).toBe(0);
  });

  it('holds a wake-up that comes right after a pass for the whole window', () => {
    sut.passEnded();
    expect(sut.delayBeforePass()).toBe(10);
  });

  it('holds a wake-up within the window only for what is left of it', () => {
    sut.passEnded();
    clock.advance(3);
    expect(sut.delayBeforePass()).toBe(7);
    clock.advance(6);
    expect(sut.delayBeforePass()).toBe(1);
  });

  it('answers at once from the moment the window has closed (the relay was idle)', () => {
    sut.passEnded();
    clock.advance(10);
    expect(sut.delayBeforePass()).toBe(0);
    clock.advance(60_000);
    expect(sut.delayBeforePass()).toBe(0);
  });

  it('opens a new window at the end of each pass', () => {
    sut.passEnded();
    clock.advance(25);
    expect(sut.delayBeforePass()).toBe(0);
    sut.passEnded();
    clock.advance(4);
    expect(sut.delayBeforePass()).toBe(6);
  });

  it('never waits longer than the window, even when the clock goes back', () => {
    sut.passEnded();
    clock.advance(-5_000);
    expect(sut.delayBeforePass()).toBe(10);
  });

  it('never waits with a window of 0 (coalescing off)', () => {
    const off = new OutboxBatchWindow(clock, 0);
    off.passEnded();
    expect(off.delayBeforePass()).toBe(0);
  });
});
