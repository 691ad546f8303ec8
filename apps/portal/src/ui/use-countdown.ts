import { useEffect, useState } from 'react';

/**
 * Whole seconds left until `deadline` (epoch ms), ticking once a second and stopping at 0. Rounded
 * up, so "1 s" shows until the moment the wait is over and a button enabled at 0 is never early.
 */
export function secondsLeft(deadline: number | undefined, now: number): number {
  if (deadline === undefined) {
    return 0;
  }
  return Math.max(0, Math.ceil((deadline - now) / 1000));
}

export function useCountdown(deadline: number | undefined): number {
  const [now, setNow] = useState(() => Date.now());
  const left = secondsLeft(deadline, now);
  useEffect(() => {
    setNow(Date.now());
    if (deadline === undefined) {
      return undefined;
    }
    const timer = setInterval(() => {
      const current = Date.now();
      setNow(current);
      if (current >= deadline) {
        clearInterval(timer);
      }
    }, 1000);
    return () => clearInterval(timer);
  }, [deadline]);
  return left;
}
