import { screen } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import type { PasswordPolicyView } from '../api/types';
import { renderWithServices } from '../test/render';
import { PasswordChecklist } from './password-checklist';
import { checkPassword } from './password-rules';

const POLICY: PasswordPolicyView = {
  minLength: 12,
  maxLength: 40,
  symbols: '!@#$%&*?+-=',
  rules: ['min_length', 'symbol', 'not_weak', 'confirmation_matches'],
};

describe('PasswordChecklist', () => {
  it('shows every rule with its state, in Japanese by default', () => {
    renderWithServices(
      <PasswordChecklist policy={POLICY} checks={checkPassword(POLICY, 'short!', 'short!')} />,
    );
    const items = screen.getAllByRole('listitem');
    expect(items.map((li) => li.dataset.rule)).toEqual(POLICY.rules);
    expect(items[0].textContent).toContain('12 文字以上');
    expect(items[0].dataset.state).toBe('unmet');
    expect(items[1].textContent).toContain('記号（!@#$%&*?+-=）を含む');
    expect(items[1].dataset.state).toBe('met');
    expect(items[2].dataset.state).toBe('pending');
    expect(items[3].dataset.state).toBe('met');
    // The state is read out, not only shown by a mark.
    expect(items[0].textContent).toContain('満たしていません');
  });

  it('speaks English when asked, and names a rule it has no text for by its id', () => {
    const policy = { ...POLICY, rules: ['min_length', 'no_repeats'] };
    renderWithServices(<PasswordChecklist policy={policy} checks={checkPassword(policy, '', '')} />, {
      language: 'en',
    });
    const items = screen.getAllByRole('listitem');
    expect(items[0].textContent).toContain('At least 12 characters');
    expect(items[1].textContent).toContain('Rule no_repeats');
  });
});
