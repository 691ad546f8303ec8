import { retryDelayMs } from './retry-backoff.util';

describe('retryDelayMs', () => {
  const top = () => 1;
  const bottom = () => 0;

  it('doubles with each attempt', () => {
    expect([1, 2, 3, 4].map((a) => retryDelayMs(a, 60_000, top))).toEqual([1000, 2000, 4000, 8000]);
  });

  it('never exceeds the cap', () => {
    expect(retryDelayMs(20, 60_000, top)).toBe(60_000);
    expect(retryDelayMs(3, 200, top)).toBe(200);
  });

  it('jitters within the upper half of the step', () => {
    expect(retryDelayMs(3, 60_000, bottom)).toBe(2000);
    expect(retryDelayMs(20, 60_000, bottom)).toBe(30_000);
  });
});
