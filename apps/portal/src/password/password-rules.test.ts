import { describe, expect, it } from 'vitest';
import type { PasswordPolicyView } from '../api/types';
import { acceptableSoFar, checkPassword } from './password-rules';

const PORTAL: PasswordPolicyView = {
  minLength: 12,
  maxLength: 40,
  symbols: '!@#$%&*?+-=',
  rules: [
    'min_length',
    'max_length',
    'lower',
    'upper',
    'digit',
    'symbol',
    'allowed_characters',
    'not_weak',
    'confirmation_matches',
  ],
};
const ASVS: PasswordPolicyView = {
  minLength: 12,
  maxLength: 128,
  symbols: '',
  rules: ['min_length', 'max_length', 'allowed_characters', 'not_weak', 'confirmation_matches'],
};

const states = (checks: ReturnType<typeof checkPassword>) =>
  Object.fromEntries(checks.map((c) => [c.id, c.state]));

describe('checkPassword', () => {
  it('lists the rules in the order the server gives them', () => {
    expect(checkPassword(PORTAL, '', '').map((c) => c.id)).toEqual(PORTAL.rules);
  });

  it('judges each portal rule as the user types', () => {
    expect(states(checkPassword(PORTAL, 'Qz7#mK2!vRw9', 'Qz7#mK2!vRw9'))).toEqual({
      min_length: 'met',
      max_length: 'met',
      lower: 'met',
      upper: 'met',
      digit: 'met',
      symbol: 'met',
      allowed_characters: 'met',
      not_weak: 'pending',
      confirmation_matches: 'met',
    });
    expect(states(checkPassword(PORTAL, 'abc', 'abd'))).toMatchObject({
      min_length: 'unmet',
      lower: 'met',
      upper: 'unmet',
      digit: 'unmet',
      symbol: 'unmet',
      confirmation_matches: 'unmet',
    });
  });

  it('counts characters, not UTF-16 units, and refuses a character outside the portal set', () => {
    const emoji = 'Qz7#mK2!vRw😀';
    expect(states(checkPassword(PORTAL, emoji, emoji))).toMatchObject({
      min_length: 'met',
      allowed_characters: 'unmet',
    });
    expect(states(checkPassword(PORTAL, 'Qz7#mK2!vRw', ''))).toMatchObject({ min_length: 'unmet' });
    expect(states(checkPassword(PORTAL, 'Qz7#mK2!vRw9'.padEnd(41, 'x'), ''))).toMatchObject({
      max_length: 'unmet',
    });
  });

  it('allows any printable character when the policy names no symbols', () => {
    expect(states(checkPassword(ASVS, 'パスワード は 長い文章です', ''))).toMatchObject({
      allowed_characters: 'met',
    });
    expect(states(checkPassword(ASVS, 'tab\there is a control', ''))).toMatchObject({
      allowed_characters: 'unmet',
    });
  });

  it('marks what the server refused, including not_weak, as unmet', () => {
    const checks = checkPassword(PORTAL, 'Password123!', 'Password123!', ['not_weak']);
    expect(states(checks).not_weak).toBe('unmet');
    expect(acceptableSoFar(checks)).toBe(false);
  });

  it('leaves a rule it does not know to the server', () => {
    const checks = checkPassword({ ...PORTAL, rules: ['min_length', 'no_repeats'] }, 'Qz7#mK2!vRw9', '');
    expect(states(checks)).toEqual({ min_length: 'met', no_repeats: 'pending' });
    expect(acceptableSoFar(checks)).toBe(true);
  });
});
