import { PeriodicTask } from './periodic-task';

describe(PeriodicTask.name, () => {
  beforeEach(() => jest.useFakeTimers());
  afterEach(() => jest.useRealTimers());

  it('runs one at a time, reports a failure and runs again at the next tick', async () => {
    let release: () => void = () => undefined;
    const runs: string[] = [];
    const errors: unknown[] = [];
    let call = 0;
    const sut = new PeriodicTask(
      () => {
        call += 1;
        runs.push(`run ${call}`);
        if (call === 1) {
          return new Promise<void>((resolve) => (release = resolve));
        }
        return Promise.reject(new Error('database away'));
      },
      (error) => errors.push(error),
    );
    sut.start(1000);
    jest.advanceTimersByTime(3500);
    // The first run is still going: the ticks meanwhile started none.
    expect(runs).toEqual(['run 1']);
    release();
    await Promise.resolve();
    await Promise.resolve();
    jest.advanceTimersByTime(1000);
    await Promise.resolve();
    await Promise.resolve();
    expect(runs).toEqual(['run 1', 'run 2']);
    expect(errors).toEqual([new Error('database away')]);
    await sut.stop();
    jest.advanceTimersByTime(5000);
    expect(runs).toHaveLength(2);
  });

  it('waits on stop for the run in progress, and an interval of 0 never runs', async () => {
    let finished = false;
    const sut = new PeriodicTask(
      () => new Promise<void>((resolve) => setTimeout(() => ((finished = true), resolve()), 500)),
      () => undefined,
    );
    sut.start(100);
    jest.advanceTimersByTime(100);
    const stopped = sut.stop();
    jest.advanceTimersByTime(500);
    await stopped;
    expect(finished).toBe(true);

    const never = jest.fn(() => Promise.resolve());
    const off = new PeriodicTask(never, () => undefined);
    off.start(0);
    jest.advanceTimersByTime(10_000);
    expect(never).not.toHaveBeenCalled();
  });
});
