import { useTranslation } from 'react-i18next';
import {
  comparableFields,
  conditionProblem,
  FILTER_FIELDS,
  isDateField,
  listValues,
  newCondition,
  opsFor,
  valueShape,
  withField,
  withOp,
  type Condition,
  type FilterField,
  type FilterGroups,
  type FilterOp,
} from './filter';
import { ALL_CATEGORIES } from './labels';
import { CASE_STATUSES } from './types';

export interface Choice {
  value: string;
  label: string;
}

/**
 * CASE-8's filter builder: OR groups of conditions that must all hold, every operator of the API,
 * the value input fitting the field and operator. Incomplete conditions are marked and not sent.
 */
export function FilterBuilder({
  groups,
  onChange,
  people,
  services,
}: {
  groups: FilterGroups;
  onChange(groups: FilterGroups): void;
  /** Requesters and watchers to choose from (id → name). */
  people: Choice[];
  services: Choice[];
}) {
  const { t } = useTranslation();
  const setCondition = (g: number, c: number, condition: Condition) =>
    onChange(groups.map((group, i) => (i === g ? group.map((x, j) => (j === c ? condition : x)) : group)));
  const removeCondition = (g: number, c: number) =>
    onChange(
      groups
        .map((group, i) => (i === g ? group.filter((_, j) => j !== c) : group))
        .filter((group) => group.length > 0),
    );
  const addCondition = (g: number) =>
    onChange(groups.map((group, i) => (i === g ? [...group, newCondition()] : group)));

  const choicesFor = (field: FilterField): Choice[] | undefined => {
    switch (field) {
      case 'status':
        return CASE_STATUSES.map((s) => ({ value: s, label: t(`cases.statuses.${s}`) }));
      case 'category':
        return ALL_CATEGORIES.map((c) => ({ value: c, label: t(`cases.categories.${c}`) }));
      case 'service':
        return services;
      case 'requester':
      case 'watcher':
        return people;
      default:
        return undefined;
    }
  };

  return (
    <div className="filter-builder">
      {groups.length === 0 && <p className="hint">{t('cases.filter.empty')}</p>}
      {groups.map((group, g) => (
        <div key={g}>
          {g > 0 && <p className="or-divider">{t('cases.filter.or')}</p>}
          <fieldset className="filter-group">
            <legend>{t('cases.filter.group', { n: g + 1 })}</legend>
            {group.map((condition, c) => (
              <ConditionRow
                key={c}
                label={t('cases.filter.conditionOf', { n: c + 1, group: g + 1 })}
                condition={condition}
                choices={choicesFor(condition.field)}
                onChange={(next) => setCondition(g, c, next)}
                onRemove={() => removeCondition(g, c)}
              />
            ))}
            <button type="button" onClick={() => addCondition(g)}>
              {t('cases.filter.addCondition')}
            </button>
          </fieldset>
        </div>
      ))}
      <div className="button-row">
        <button type="button" onClick={() => onChange([...groups, [newCondition()]])}>
          {groups.length === 0 ? t('cases.filter.addFirst') : t('cases.filter.addGroup')}
        </button>
        {groups.length > 0 && (
          <button type="button" onClick={() => onChange([])}>
            {t('cases.filter.clear')}
          </button>
        )}
      </div>
    </div>
  );
}

function ConditionRow({
  label,
  condition,
  choices,
  onChange,
  onRemove,
}: {
  label: string;
  condition: Condition;
  choices?: Choice[];
  onChange(condition: Condition): void;
  onRemove(): void;
}) {
  const { t } = useTranslation();
  const shape = valueShape(condition.op);
  const problem = conditionProblem(condition);
  const date = isDateField(condition.field);
  const single = (value: string, onValue: (v: string) => void, name: string) =>
    choices && !date ? (
      <select aria-label={name} value={value} onChange={(e) => onValue(e.target.value)}>
        <option value="">{t('cases.filter.choose')}</option>
        {choices.map((choice) => (
          <option key={choice.value} value={choice.value}>
            {choice.label}
          </option>
        ))}
      </select>
    ) : (
      <input
        aria-label={name}
        type={date ? 'date' : 'text'}
        value={value}
        onChange={(e) => onValue(e.target.value)}
      />
    );
  return (
    <div className="condition" role="group" aria-label={label}>
      <select
        aria-label={t('cases.filter.field', { condition: label })}
        value={condition.field}
        onChange={(e) => onChange(withField(condition, e.target.value as FilterField))}
      >
        {FILTER_FIELDS.map((field) => (
          <option key={field} value={field}>
            {t(`cases.fields.${field}`)}
          </option>
        ))}
      </select>
      <select
        aria-label={t('cases.filter.op', { condition: label })}
        value={condition.op}
        onChange={(e) => onChange(withOp(condition, e.target.value as FilterOp))}
      >
        {opsFor(condition.field).map((op) => (
          <option key={op} value={op}>
            {t(`cases.ops.${op}`)}
          </option>
        ))}
      </select>
      {shape === 'one' &&
        single(
          condition.value,
          (value) => onChange({ ...condition, value }),
          t('cases.filter.value', { condition: label }),
        )}
      {shape === 'range' && (
        <>
          {single(
            condition.value,
            (value) => onChange({ ...condition, value }),
            t('cases.filter.from', { condition: label }),
          )}
          {single(
            condition.to,
            (to) => onChange({ ...condition, to }),
            t('cases.filter.to', { condition: label }),
          )}
        </>
      )}
      {shape === 'list' &&
        (choices && !date ? (
          <select
            multiple
            aria-label={t('cases.filter.values', { condition: label })}
            value={listValues(condition.value)}
            onChange={(e) =>
              onChange({ ...condition, value: [...e.target.selectedOptions].map((o) => o.value).join(',') })
            }
          >
            {choices.map((choice) => (
              <option key={choice.value} value={choice.value}>
                {choice.label}
              </option>
            ))}
          </select>
        ) : (
          <input
            aria-label={t('cases.filter.values', { condition: label })}
            placeholder={t('cases.filter.listHint')}
            type="text"
            value={condition.value}
            onChange={(e) => onChange({ ...condition, value: e.target.value })}
          />
        ))}
      {shape === 'field' && (
        <select
          aria-label={t('cases.filter.otherField', { condition: label })}
          value={condition.value}
          onChange={(e) => onChange({ ...condition, value: e.target.value })}
        >
          {comparableFields(condition.field).map((field) => (
            <option key={field} value={field}>
              {t(`cases.fields.${field}`)}
            </option>
          ))}
        </select>
      )}
      <button type="button" onClick={onRemove} aria-label={t('cases.filter.remove', { condition: label })}>
        ×
      </button>
      {problem && <p className="field-error condition-problem">{t(problem)}</p>}
    </div>
  );
}
