import fc from 'fast-check';
import { formCases } from '../../../../test/integration/cases/work-request-forms';
import { checkAnswers, formOf, formProblems } from './work-request-form';

describe('work request forms (CASE-7)', () => {
  it('refuses exactly the fields a submission gets wrong, and keeps the others', () => {
    fc.assert(
      fc.property(formCases, ({ fields, submission, problems }) => {
        const checked = checkAnswers(formOf(fields), submission);
        expect(Object.keys(checked.problems).sort()).toEqual(problems);
        for (const [key, value] of Object.entries(checked.answers)) {
          expect(problems).not.toContain(`fields.${key}`);
          expect(value).not.toBe('');
        }
      }),
      { numRuns: 500 },
    );
  });

  it('accepts a real calendar day only', () => {
    const form = formOf([{ key: 'd', label: { ja: '日', en: 'Day' }, type: 'date', required: true }]);
    expect(checkAnswers(form, { d: '2028-02-29' }).problems).toEqual({});
    expect(checkAnswers(form, { d: '2027-02-29' }).problems).toEqual({
      'fields.d': ['must be a date as YYYY-MM-DD'],
    });
  });

  it('names duplicated keys and selects without options in an item', () => {
    const label = { ja: 'a', en: 'a' };
    expect(
      formProblems([
        { key: 'a', label, type: 'text', required: false },
        { key: 'a', label, type: 'select', required: false, options: [] },
        { key: 'b', label, type: 'number', required: false, options: [{ value: 'x', label }] },
      ]),
    ).toEqual({
      'fields[1].key': ['key a is used by another field'],
      'fields[1].options': ['a select field needs at least one option'],
      'fields[2].options': ['only a select field has options'],
    });
  });
});
