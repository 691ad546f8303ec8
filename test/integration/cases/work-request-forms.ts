import fc from 'fast-check';
import { WORK_REQUEST_FIELD_TYPES, WorkRequestFieldDto, WorkRequestFieldType } from '@app/contracts';

/** What a generated submission does with one field, and so whether the form must refuse it. */
type Action = 'valid' | 'omit' | 'null' | 'blank' | 'wrongType' | 'invalid';

/** A random form, a random submission for it, and the `details.fields` names it must be refused for. */
export interface FormCase {
  fields: WorkRequestFieldDto[];
  submission: Record<string, unknown>;
  /** `fields.<key>` of every field the submission gets wrong, sorted; empty: it must be accepted. */
  problems: string[];
}

const label = (key: string) => ({ ja: `項目${key}`, en: `Field ${key}` });
const oneLine = fc.stringMatching(/^[A-Za-z0-9あいうえお漢字 .,:-]{1,40}$/).filter((s) => s.trim() !== '');
const calendarDay = fc
  .date({ min: new Date('1970-01-01T00:00:00Z'), max: new Date('2100-12-31T00:00:00Z'), noInvalidDate: true })
  .map((d) => d.toISOString().slice(0, 10));

function validValue(type: WorkRequestFieldType, options: string[]): fc.Arbitrary<unknown> {
  switch (type) {
    case 'text':
      return oneLine;
    case 'textarea':
      return fc.array(oneLine, { minLength: 1, maxLength: 3 }).map((lines) => lines.join('\n'));
    case 'select':
      return fc.constantFrom(...options);
    case 'date':
      return calendarDay;
    case 'number':
      return fc.oneof(fc.integer(), fc.double({ noNaN: true, noDefaultInfinity: true, min: -1e9, max: 1e9 }));
  }
}

function wrongType(type: WorkRequestFieldType): fc.Arbitrary<unknown> {
  return type === 'number'
    ? fc.constantFrom<unknown>('12', true, ['1'], { n: 1 })
    : fc.constantFrom<unknown>(12, true, ['x'], { v: 'x' });
}

function invalidValue(type: WorkRequestFieldType): fc.Arbitrary<unknown> {
  switch (type) {
    case 'text':
      return fc.constantFrom('two\nlines', 'x'.repeat(201));
    case 'textarea':
      return fc.constant('y'.repeat(10_001));
    case 'select':
      return fc.constant('not-an-option');
    case 'date':
      return fc.constantFrom('2026-02-30', '2026/01/01', '20260101', '2025-13-01', 'tomorrow');
    case 'number':
      return fc.constantFrom('NaN', 'twelve');
  }
}

const fieldSpec = fc.record({
  type: fc.constantFrom(...WORK_REQUEST_FIELD_TYPES),
  required: fc.boolean(),
  optionCount: fc.integer({ min: 1, max: 4 }),
  action: fc.constantFrom<Action>('valid', 'valid', 'omit', 'null', 'blank', 'wrongType', 'invalid'),
});

/** Forms of 0–6 fields of every type, and submissions that get each field right or wrong in every way. */
export const formCases: fc.Arbitrary<FormCase> = fc
  .uniqueArray(fc.stringMatching(/^[a-z][a-zA-Z0-9_]{0,8}$/), { maxLength: 6 })
  .chain((keys) =>
    fc.tuple(
      fc.constant(keys),
      fc.array(fieldSpec, { minLength: keys.length, maxLength: keys.length }),
      fc.boolean(),
    ),
  )
  .chain(([keys, specs, addUnknown]) => {
    const fields: WorkRequestFieldDto[] = keys.map((key, i) => ({
      key,
      label: label(key),
      type: specs[i].type,
      required: specs[i].required,
      ...(specs[i].type === 'select'
        ? {
            options: Array.from({ length: specs[i].optionCount }, (_, n) => ({
              value: `o${n}`,
              label: { ja: `選択${n}`, en: `Choice ${n}` },
            })),
          }
        : {}),
    }));
    const values = keys.map((key, i): fc.Arbitrary<[string, Action, unknown]> => {
      const { type, action } = specs[i];
      const options = (fields[i].options ?? []).map((o) => o.value);
      const value: fc.Arbitrary<unknown> =
        action === 'valid'
          ? validValue(type, options)
          : action === 'null'
            ? fc.constant(null)
            : action === 'blank'
              ? fc.constantFrom('', '   ')
              : action === 'wrongType'
                ? wrongType(type)
                : action === 'invalid'
                  ? invalidValue(type)
                  : fc.constant(undefined);
      return value.map((v) => [key, action, v]);
    });
    return fc.tuple(fc.constant(fields), fc.tuple(...values), fc.constant(addUnknown));
  })
  .map(([fields, entries, addUnknown]) => {
    const submission: Record<string, unknown> = {};
    const problems: string[] = [];
    entries.forEach(([key, action, value], i) => {
      if (action !== 'omit') {
        submission[key] = value;
      }
      const empty = action === 'omit' || action === 'null' || action === 'blank';
      if ((empty && fields[i].required) || action === 'wrongType' || action === 'invalid') {
        problems.push(`fields.${key}`);
      }
    });
    if (addUnknown) {
      const unknown = `unknown${fields.length}X`;
      submission[unknown] = 'x';
      problems.push(`fields.${unknown}`);
    }
    return { fields, submission, problems: problems.sort() };
  });
