import type { PasswordPolicyView } from '../api/types';

/** A rule's state in the checklist: `pending` when only the server can judge it (not_weak). */
export type RuleState = 'met' | 'unmet' | 'pending';

export interface RuleCheck {
  id: string;
  state: RuleState;
}

/** Control characters, lone surrogates and unassigned code points are not "printable" (AUTH-2). */
const NOT_PRINTABLE = /[\p{Cc}\p{Cs}\p{Cn}]/u;

function escapeForClass(symbols: string): string {
  return symbols.replace(/[\\\]^-]/g, (c) => `\\${c}`);
}

/**
 * The checklist beside a new password, one entry per rule id of `GET /auth/password-policy`, in
 * its order. The rules the browser can judge are judged as the user types, exactly as the server
 * counts (characters, not UTF-16 units). `not_weak` needs the server's word lists, so it stays
 * pending until the server names it in a `password_policy` answer (`serverViolations`).
 */
export function checkPassword(
  policy: PasswordPolicyView,
  password: string,
  confirmation: string,
  serverViolations: readonly string[] = [],
): RuleCheck[] {
  const length = [...password].length;
  const symbols = policy.symbols;
  const allowed = symbols ? new RegExp(`^[A-Za-z0-9${escapeForClass(symbols)}]*$`) : undefined;
  const judge = (id: string): RuleState | undefined => {
    switch (id) {
      case 'min_length':
        return length >= policy.minLength ? 'met' : 'unmet';
      case 'max_length':
        return length > 0 && length <= policy.maxLength ? 'met' : 'unmet';
      case 'lower':
        return /[a-z]/.test(password) ? 'met' : 'unmet';
      case 'upper':
        return /[A-Z]/.test(password) ? 'met' : 'unmet';
      case 'digit':
        return /[0-9]/.test(password) ? 'met' : 'unmet';
      case 'symbol':
        return [...password].some((c) => symbols.includes(c)) ? 'met' : 'unmet';
      case 'allowed_characters':
        if (length === 0) {
          return 'unmet';
        }
        return (allowed ? allowed.test(password) : !NOT_PRINTABLE.test(password)) ? 'met' : 'unmet';
      case 'confirmation_matches':
        return length > 0 && password === confirmation ? 'met' : 'unmet';
      default:
        // not_weak, and any rule a later server adds: the server's word decides.
        return undefined;
    }
  };
  return policy.rules.map((id) => {
    if (serverViolations.includes(id)) {
      return { id, state: 'unmet' };
    }
    return { id, state: judge(id) ?? 'pending' };
  });
}

/** Every rule the browser can judge is met (pending ones are left to the server). */
export function acceptableSoFar(checks: readonly RuleCheck[]): boolean {
  return checks.every((check) => check.state !== 'unmet');
}
