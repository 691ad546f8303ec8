import { z } from 'zod';
import { SECRET_NAMES } from './env-schemas';

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Configuration is invalid:\n  ${problems.join('\n  ')}`);
    this.name = 'ConfigError';
  }
}

/** True when a value reads as a URL carrying a user name or password (`scheme://user:pass@host`). */
function hasUrlCredentials(value: string): boolean {
  // Also catches values the URL parser refuses (a password with a stray `#` or `/`).
  return /^[a-z][a-z0-9+.-]*:\/\/[^/?#\s]*@/i.test(value);
}

function shown(name: string, value: string | undefined): string {
  if (value === undefined) {
    return `${name} (unset)`;
  }
  // A URL with credentials is a secret whatever its name (a setting added later, a typo'd name).
  const secret = SECRET_NAMES.has(name) || hasUrlCredentials(value);
  return secret ? `${name}=<secret>` : `${name}=${JSON.stringify(value)}`;
}

/**
 * A URL with its password masked (`nats://gateway:***@nats:4222`), anything else as it is: URLs such
 * as NATS_URL and DATABASE_URL may carry credentials, and must still be shown when they are wrong.
 */
export function withoutPassword(value: string): string {
  // The text as given, only the password replaced: a re-serialised URL would differ from the input.
  return value.replace(/^([a-z][a-z0-9+.-]*:\/\/[^:/@]*:)[^@/]*@/i, '$1***@');
}

function reason(issue: z.core.$ZodIssue): string {
  if (issue.code === 'invalid_type' && issue.expected === 'number') {
    return 'it must be a number';
  }
  if (issue.code === 'invalid_value' && 'values' in issue) {
    return `it must be one of ${issue.values.map((v) => String(v)).join(', ')}`;
  }
  return issue.message;
}

/**
 * Parses the environment against an app's schema. Every problem is reported at once, as
 * `NAME=value is invalid because …`, with secret values masked.
 */
export function loadConfig<S extends z.ZodObject>(
  schema: S,
  env: NodeJS.ProcessEnv = process.env,
): z.infer<S> {
  const result = schema.safeParse(env);
  if (result.success) {
    return result.data;
  }
  const problems = result.error.issues.map((issue) => {
    const name = String(issue.path[0] ?? '?');
    if (env[name] === undefined) {
      return `${name} is required`;
    }
    return `${shown(name, env[name])} is invalid because ${reason(issue)}`;
  });
  throw new ConfigError(problems);
}
