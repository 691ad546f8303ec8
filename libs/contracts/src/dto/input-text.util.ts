/**
 * The one rule for text that enters Mamori, applied by the gateway to every body, query and path
 * parameter and by each service to every NATS request: a string is well-formed Unicode (no lone
 * surrogate, which PostgreSQL, JSON encoders and validators choke on) and holds no C0 control
 * character (NUL ends a C string and PostgreSQL refuses it in text) — except tab, line feed and
 * carriage return in a body field marked `@MultiLineText()` (never a path or a query parameter).
 * Null is accepted only where the contract documents the field as nullable.
 */

const MULTI_LINE_TEXT = 'mamori:multiLineText';

/** Marks a DTO field whose text may hold tab and line breaks (a comment, a description). */
export function MultiLineText(): PropertyDecorator {
  return (target, key) => Reflect.defineMetadata(MULTI_LINE_TEXT, true, target, key);
}

/** Field name → messages, the shape of `details.fields` of `validation_failed`. */
export type InputProblems = Record<string, string[]>;

/** Deeper than any DTO; a hostile body nested further is refused rather than walked. */
const MAX_DEPTH = 32;
/** Enough for any real request; stops a body of many small problems from making a huge answer. */
const MAX_PROBLEMS = 50;

/** Where the swagger decorators keep a DTO's properties (the same metadata the OpenAPI document is built from). */
const API_PROPERTY_METADATA = 'swagger/apiModelProperties';

// eslint-disable-next-line no-control-regex -- the point: C0 controls other than tab, LF, CR
const CONTROL_KEEPING_LINE_BREAKS = /[\u0000-\u0008\u000b\u000c\u000e-\u001f]/;
// eslint-disable-next-line no-control-regex -- the point: every C0 control
const ANY_CONTROL = /[\u0000-\u001f]/;

/** Why `value` is not acceptable text, or null when it is. */
export function textProblem(value: string, allowLineBreaks: boolean): string | null {
  if (!isWellFormed(value)) {
    return 'must be well-formed Unicode text';
  }
  if ((allowLineBreaks ? CONTROL_KEEPING_LINE_BREAKS : ANY_CONTROL).test(value)) {
    return allowLineBreaks
      ? 'must not contain control characters other than tab and line breaks'
      : 'must not contain control characters';
  }
  return null;
}

/**
 * Every string (and object key) in `value` that breaks the rule, by its field path. `dto` is the
 * class the value is for, whose `@MultiLineText()` fields may hold line breaks; without one (a path
 * or query parameter) no string may.
 */
export function malformedText(value: unknown, dto?: unknown, field = ''): InputProblems {
  const problems: InputProblems = {};
  walk(value, dto, false, field, 0, (path, problem) => {
    if (Object.keys(problems).length < MAX_PROBLEMS) {
      problems[path || 'value'] = [problem];
    }
  });
  return problems;

  function walk(
    node: unknown,
    cls: unknown,
    allowLineBreaks: boolean,
    path: string,
    depth: number,
    report: (path: string, problem: string) => void,
  ): void {
    if (typeof node === 'string') {
      const problem = textProblem(node, allowLineBreaks);
      if (problem) {
        report(path, problem);
      }
      return;
    }
    if (typeof node !== 'object' || node === null) {
      return;
    }
    if (depth >= MAX_DEPTH) {
      report(path, 'is nested too deeply');
      return;
    }
    if (Array.isArray(node)) {
      node.forEach((item, index) => walk(item, cls, allowLineBreaks, `${path}[${index}]`, depth + 1, report));
      return;
    }
    const prototype = typeof cls === 'function' ? (cls as { prototype: object }).prototype : undefined;
    for (const [key, item] of Object.entries(node)) {
      const keyProblem = textProblem(key, false);
      if (keyProblem) {
        // The key itself cannot be echoed safely as a field name.
        report(path || 'value', 'has a field name that is not acceptable text');
        continue;
      }
      const meta = prototype
        ? (Reflect.getMetadata(API_PROPERTY_METADATA, prototype, key) as ApiPropertyMetadata | undefined)
        : undefined;
      // A plain object under a multi-line field (a work request's `fields`) keeps its permission.
      const multiLine = prototype
        ? Reflect.getMetadata(MULTI_LINE_TEXT, prototype, key) === true
        : allowLineBreaks;
      walk(item, nestedClass(meta?.type), multiLine, path ? `${path}.${key}` : key, depth + 1, report);
    }
  }
}

interface ApiPropertyMetadata {
  nullable?: boolean;
  type?: unknown;
}

/**
 * Fields of `value` that are null although `dto` does not document them as nullable. class-validator's
 * `@IsOptional()` lets null through as if the field were absent, which code further on does not
 * expect; the OpenAPI metadata is the contract's own word on which fields take null.
 */
export function unexpectedNulls(value: unknown, dto: unknown, field = '', depth = 0): InputProblems {
  const problems: InputProblems = {};
  if (typeof dto !== 'function' || typeof value !== 'object' || value === null || depth >= MAX_DEPTH) {
    return problems;
  }
  const prototype = (dto as { prototype: object }).prototype;
  for (const [key, item] of Object.entries(value)) {
    const meta = Reflect.getMetadata(API_PROPERTY_METADATA, prototype, key) as
      ApiPropertyMetadata | undefined;
    if (!meta) {
      // Not a documented field: the validation pipe refuses it as unknown.
      continue;
    }
    const path = field ? `${field}.${key}` : key;
    if (item === null) {
      if (!meta.nullable) {
        problems[path] = ['must not be null'];
      }
      continue;
    }
    const nested = nestedClass(meta.type);
    if (nested) {
      const items: unknown[] = Array.isArray(item) ? item : [item];
      items.forEach((entry, index) =>
        Object.assign(
          problems,
          unexpectedNulls(entry, nested, Array.isArray(item) ? `${path}[${index}]` : path, depth + 1),
        ),
      );
    }
  }
  return problems;
}

/** A DTO class named as a property's type (directly or as `() => Class`), not a primitive's constructor. */
function nestedClass(type: unknown): unknown {
  if (typeof type !== 'function') {
    return undefined;
  }
  if ([String, Number, Boolean, Object, Array, Date].includes(type as never)) {
    return undefined;
  }
  if (type.prototype === undefined) {
    // `type: () => Dto`: an arrow function has no prototype.
    const resolved = (type as () => unknown)();
    return typeof resolved === 'function' ? nestedClass(resolved) : undefined;
  }
  return type;
}

/** `String.prototype.isWellFormed` where the runtime has it (Node 20+), otherwise the same test. */
function isWellFormed(value: string): boolean {
  const native = (value as { isWellFormed?: () => boolean }).isWellFormed;
  if (native) {
    return native.call(value);
  }
  return !/[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/.test(value);
}
