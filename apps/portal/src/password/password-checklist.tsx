import { useTranslation } from 'react-i18next';
import type { PasswordPolicyView } from '../api/types';
import type { RuleCheck } from './password-rules';

const MARK = { met: '✓', unmet: '✗', pending: '…' } as const;

/** The live list of password rules (AUTH-2), announced politely to screen readers as it changes. */
export function PasswordChecklist({ policy, checks }: { policy: PasswordPolicyView; checks: RuleCheck[] }) {
  const { t } = useTranslation();
  const label = (id: string): string => {
    const values = { min: policy.minLength, max: policy.maxLength, symbols: policy.symbols, id };
    if (id === 'allowed_characters' && !policy.symbols) {
      return t('policy.rules.allowed_characters_any');
    }
    const key = `policy.rules.${id}`;
    const text = t(key, values);
    return text === key ? t('policy.rules.unknown', values) : text;
  };
  return (
    <section className="checklist" aria-labelledby="policy-heading">
      <h3 id="policy-heading">{t('policy.heading')}</h3>
      <ul aria-live="polite">
        {checks.map((check) => (
          <li
            key={check.id}
            className={`rule rule-${check.state}`}
            data-rule={check.id}
            data-state={check.state}
          >
            <span aria-hidden="true" className="rule-mark">
              {MARK[check.state]}
            </span>{' '}
            {label(check.id)}
            <span className="visually-hidden"> ({t(`policy.${check.state}`)})</span>
          </li>
        ))}
      </ul>
    </section>
  );
}
