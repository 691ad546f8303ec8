import { TemplateError } from './template.error';

/** CASE-2: `CS` + 7 digits; anything else in a notice would be a value that is not a case number. */
const CASE_NUMBER = /^CS[0-9]{7}$/;

export function checkCaseNumber(value: unknown): void {
  if (typeof value !== 'string' || !CASE_NUMBER.test(value)) {
    throw new TemplateError('invalid_case_number_parameter');
  }
}

/** `value` is one of `allowed`, or the message is refused with `invalid_<name>_parameter`. */
export function checkOneOf(value: unknown, allowed: readonly string[], name: string): void {
  if (typeof value !== 'string' || !allowed.includes(value)) {
    throw new TemplateError(`invalid_${name}_parameter`);
  }
}

/** A plain-text value of at most `max` characters (a subject, a title), or refused. */
export function checkText(value: unknown, max: number, name: string, optional = false): void {
  if (value === undefined && optional) {
    return;
  }
  if (typeof value !== 'string' || value.length > max) {
    throw new TemplateError(`invalid_${name}_parameter`);
  }
}

/** An instant the templates print (`displayTime`): refused when it is not one. */
export function checkTime(value: unknown): void {
  if (typeof value !== 'string' || Number.isNaN(new Date(value).getTime())) {
    throw new TemplateError('invalid_time_parameter');
  }
}
