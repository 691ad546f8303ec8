import { act, render, screen } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { secondsLeft, useCountdown } from './use-countdown';

function Countdown({ deadline }: { deadline?: number }) {
  return <output>{useCountdown(deadline)}</output>;
}

describe('secondsLeft', () => {
  it('rounds up and stops at zero', () => {
    expect(secondsLeft(10_000, 0)).toBe(10);
    expect(secondsLeft(10_000, 1)).toBe(10);
    expect(secondsLeft(10_000, 9_001)).toBe(1);
    expect(secondsLeft(10_000, 10_000)).toBe(0);
    expect(secondsLeft(10_000, 99_000)).toBe(0);
    expect(secondsLeft(undefined, 0)).toBe(0);
  });
});

describe('useCountdown', () => {
  beforeEach(() => {
    vi.useFakeTimers();
    vi.setSystemTime(new Date('2026-01-15T00:00:00Z'));
  });
  afterEach(() => vi.useRealTimers());

  it('counts down once a second to zero, and starts again for a new deadline', () => {
    const start = Date.now();
    const { rerender } = render(<Countdown deadline={start + 3_000} />);
    expect(screen.getByRole('status').textContent).toBe('3');
    act(() => {
      vi.advanceTimersByTime(1_000);
    });
    expect(screen.getByRole('status').textContent).toBe('2');
    act(() => {
      vi.advanceTimersByTime(2_000);
    });
    expect(screen.getByRole('status').textContent).toBe('0');
    act(() => {
      vi.advanceTimersByTime(5_000);
    });
    expect(screen.getByRole('status').textContent).toBe('0');

    rerender(<Countdown deadline={Date.now() + 30_000} />);
    expect(screen.getByRole('status').textContent).toBe('30');
  });
});
