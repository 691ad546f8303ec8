import {
  InputProblems,
  MAX_WORK_REQUEST_TEXT,
  MAX_WORK_REQUEST_TEXTAREA,
  WorkRequestFieldDto,
} from '@app/contracts';
import { Answer } from './work-request.entity';
import { FormField } from './work-request-item.entity';

/** Unknown keys named in one answer at most; a body of many is refused as a whole anyway. */
const MAX_UNKNOWN_NAMED = 20;
const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const LINE_BREAK = /[\r\n]/;

/**
 * What is wrong with an item's form beyond what each field's shape says (the DTO checks that): a
 * key used twice, a select without choices or with a choice twice, choices on a field that has
 * none. Field paths as `details.fields` names them: `fields[2].options`.
 */
export function formProblems(fields: WorkRequestFieldDto[]): InputProblems {
  const problems: InputProblems = {};
  const keys = new Set<string>();
  fields.forEach((field, index) => {
    const path = `fields[${index}]`;
    if (keys.has(field.key)) {
      problems[`${path}.key`] = [`key ${field.key} is used by another field`];
    }
    keys.add(field.key);
    if (field.type === 'select') {
      const values = (field.options ?? []).map((o) => o.value);
      if (values.length === 0) {
        problems[`${path}.options`] = ['a select field needs at least one option'];
      } else if (new Set(values).size !== values.length) {
        problems[`${path}.options`] = ['option values must be unique'];
      }
    } else if (field.options !== undefined) {
      problems[`${path}.options`] = ['only a select field has options'];
    }
  });
  return problems;
}

/** The form as kept: the choices only on select fields. */
export function formOf(fields: WorkRequestFieldDto[]): FormField[] {
  return fields.map((f) => ({
    key: f.key,
    label: { ja: f.label.ja, en: f.label.en },
    type: f.type,
    required: f.required,
    ...(f.type === 'select'
      ? {
          options: (f.options ?? []).map((o) => ({
            value: o.value,
            label: { ja: o.label.ja, en: o.label.en },
          })),
        }
      : {}),
  }));
}

export interface CheckedAnswers {
  /** The values to keep, by field key; fields left empty are absent. */
  answers: Record<string, Answer>;
  /** By `fields.<key>`, the shape of `details.fields` of `validation_failed`; empty when all is well. */
  problems: InputProblems;
}

/**
 * CASE-7: a submission's values checked against the item's form. A required field must hold a value
 * (absent, null and blank text are no value); text is one line of at most 200 characters, a textarea
 * at most 10,000; a select's value is one of its options; a date is a real calendar day as
 * YYYY-MM-DD; a number is a JSON number. A key the form does not have is refused too, so nothing
 * the customer did not see on the form is kept.
 */
export function checkAnswers(form: FormField[], submitted: Record<string, unknown>): CheckedAnswers {
  const answers: Record<string, Answer> = {};
  const problems: InputProblems = {};
  const known = new Set(form.map((f) => f.key));
  let unknownNamed = 0;
  for (const key of Object.keys(submitted)) {
    if (!known.has(key) && unknownNamed < MAX_UNKNOWN_NAMED) {
      problems[`fields.${key}`] = ['is not a field of this item'];
      unknownNamed += 1;
    }
  }
  for (const field of form) {
    const path = `fields.${field.key}`;
    const raw = Object.prototype.hasOwnProperty.call(submitted, field.key) ? submitted[field.key] : undefined;
    const empty = raw === undefined || raw === null || (typeof raw === 'string' && raw.trim() === '');
    if (empty) {
      if (field.required) {
        problems[path] = ['is required'];
      }
      continue;
    }
    const problem = valueProblem(field, raw);
    if (problem) {
      problems[path] = [problem];
      continue;
    }
    answers[field.key] = typeof raw === 'string' ? raw.trim() : (raw as number);
  }
  return { answers, problems };
}

function valueProblem(field: FormField, value: unknown): string | null {
  switch (field.type) {
    case 'text':
      if (typeof value !== 'string') {
        return 'must be text';
      }
      if (LINE_BREAK.test(value)) {
        return 'must be one line';
      }
      return value.trim().length > MAX_WORK_REQUEST_TEXT
        ? `must be at most ${MAX_WORK_REQUEST_TEXT} characters`
        : null;
    case 'textarea':
      if (typeof value !== 'string') {
        return 'must be text';
      }
      return value.trim().length > MAX_WORK_REQUEST_TEXTAREA
        ? `must be at most ${MAX_WORK_REQUEST_TEXTAREA} characters`
        : null;
    case 'select':
      return typeof value === 'string' && (field.options ?? []).some((o) => o.value === value.trim())
        ? null
        : 'must be one of the options';
    case 'date':
      return typeof value === 'string' && isCalendarDate(value.trim())
        ? null
        : 'must be a date as YYYY-MM-DD';
    case 'number':
      return typeof value === 'number' && Number.isFinite(value) ? null : 'must be a number';
  }
}

function isCalendarDate(text: string): boolean {
  const match = DATE.exec(text);
  if (!match) {
    return false;
  }
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  const date = new Date(Date.UTC(year, month - 1, day));
  return (
    year >= 1 &&
    date.getUTCFullYear() === year &&
    date.getUTCMonth() === month - 1 &&
    date.getUTCDate() === day
  );
}

/** A kept value as text for a reader (an e-mail, a case description): options by their label. */
export function answerText(field: FormField, value: Answer | undefined, language: 'ja' | 'en'): string {
  if (value === undefined) {
    return '';
  }
  if (field.type === 'select') {
    const option = (field.options ?? []).find((o) => o.value === value);
    return option ? option.label[language] : String(value);
  }
  return String(value);
}
