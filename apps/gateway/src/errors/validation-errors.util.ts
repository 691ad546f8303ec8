import { ValidationError } from 'class-validator';
import { DomainError, ErrorCode } from '@app/contracts';
import { FieldErrors } from './error-body';

const MAX_MESSAGES = 50;

/** Flattens class-validator errors, nested ones as `parent.child`, into `{field: [messages]}`. */
export function fieldErrors(errors: ValidationError[], parent = ''): FieldErrors {
  const fields: FieldErrors = {};
  for (const error of errors) {
    const name = parent ? `${parent}.${error.property}` : error.property;
    const messages = Object.values(error.constraints ?? {});
    if (messages.length > 0) {
      fields[name] = messages;
    }
    if (error.children && error.children.length > 0) {
      Object.assign(fields, fieldErrors(error.children, name));
    }
    if (messages.length === 0 && !(error.children && error.children.length > 0)) {
      fields[name] = ['is invalid'];
    }
  }
  return fields;
}

/**
 * The ValidationPipe's exceptionFactory: malformed input is `400 validation_failed` with
 * `details.fields`. The number of fields is capped because a hostile body may have thousands.
 */
export function validationFailed(errors: ValidationError[]): DomainError {
  const entries = Object.entries(fieldErrors(errors)).slice(0, MAX_MESSAGES);
  return new DomainError(ErrorCode.ValidationFailed, { fields: Object.fromEntries(entries) });
}
