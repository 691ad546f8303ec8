import { randomInt } from 'node:crypto';

/** Two-digit numbers, so the login screen and the app show them the same way. */
const LOWEST = 10;
const HIGHEST = 99;

/** The number the login screen shows (AUTH-13, number matching *(ours)*), from the CSPRNG. */
export function newMatchNumber(): number {
  return randomInt(LOWEST, HIGHEST + 1);
}

/**
 * Three numbers for the app, the right one among two other distinct ones, in random order: the user
 * can only pick right by looking at the login screen, so approving a login someone else started
 * (push fatigue) fails two times in three even for a careless tap, and a wrong pick denies it.
 */
export function matchCandidates(right: number): number[] {
  const numbers = new Set([right]);
  while (numbers.size < 3) {
    numbers.add(randomInt(LOWEST, HIGHEST + 1));
  }
  const shuffled = [...numbers];
  for (let i = shuffled.length - 1; i > 0; i--) {
    const j = randomInt(0, i + 1);
    [shuffled[i], shuffled[j]] = [shuffled[j], shuffled[i]];
  }
  return shuffled;
}
