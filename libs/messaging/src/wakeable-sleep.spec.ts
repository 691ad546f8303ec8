import { WakeableSleep } from './wakeable-sleep';

describe(WakeableSleep.name, () => {
  it('ends a sleep when woken', async () => {
    const sut = new WakeableSleep();
    const slept = sut.sleep(60_000);
    sut.wake();
    await expect(slept).resolves.toBeUndefined();
  });

  it('keeps a wake that came while awake for the next sleep, once', async () => {
    jest.useFakeTimers();
    try {
      const sut = new WakeableSleep();
      sut.wake();
      await expect(sut.sleep(60_000)).resolves.toBeUndefined();
      let second = false;
      void sut.sleep(1000).then(() => (second = true));
      await Promise.resolve();
      expect(second).toBe(false);
      jest.advanceTimersByTime(1000);
      await Promise.resolve();
      expect(second).toBe(true);
    } finally {
      jest.useRealTimers();
    }
  });
});
