import { FakeClock } from './fake-clock';

describe(FakeClock.name, () => {
  it('moves only when told to', () => {
    const sut = new FakeClock(new Date('2026-01-01T00:00:00Z'));
    expect(sut.now().toISOString()).toBe('2026-01-01T00:00:00.000Z');
    sut.advance(20 * 60 * 1000);
    expect(sut.now().toISOString()).toBe('2026-01-01T00:20:00.000Z');
  });
});
