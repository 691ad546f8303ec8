import { matchCandidates, newMatchNumber } from './match-number.util';

describe('match numbers', () => {
  it('are two-digit numbers', () => {
    for (let i = 0; i < 500; i++) {
      const n = newMatchNumber();
      expect(Number.isInteger(n)).toBe(true);
      expect(n).toBeGreaterThanOrEqual(10);
      expect(n).toBeLessThanOrEqual(99);
    }
  });

  it('offer three distinct two-digit candidates, the right one among them', () => {
    for (let i = 0; i < 500; i++) {
      const right = newMatchNumber();
      const candidates = matchCandidates(right);
      expect(candidates).toHaveLength(3);
      expect(new Set(candidates).size).toBe(3);
      expect(candidates).toContain(right);
      for (const c of candidates) {
        expect(c).toBeGreaterThanOrEqual(10);
        expect(c).toBeLessThanOrEqual(99);
      }
    }
  });

  it('put the right one at every position (the order tells nothing)', () => {
    const seen = [0, 0, 0];
    for (let i = 0; i < 600; i++) {
      seen[matchCandidates(42).indexOf(42)]++;
    }
    // Each position expects 200; 120 is more than 6 standard deviations below.
    for (const count of seen) {
      expect(count).toBeGreaterThan(120);
    }
  });
});
