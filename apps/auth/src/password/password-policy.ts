import { DomainError, ErrorCode, PasswordPolicyView } from '@app/contracts';
import { COMMON_PASSWORDS } from './common-passwords';
import { DICTIONARY_WORDS } from './dictionary-words';

/** Rule ids a UI shows as a checklist (AUTH-2); violations are reported with the same ids. */
export type PasswordRule =
  | 'min_length'
  | 'max_length'
  | 'lower'
  | 'upper'
  | 'digit'
  | 'symbol'
  | 'allowed_characters'
  | 'not_weak'
  | 'confirmation_matches';

export type PasswordPolicyName = 'portal' | 'asvs';

/** What a password must not contain (AUTH-2): the user's ID, e-mail local part and names. */
export interface PasswordContext {
  userId?: string | null;
  email?: string | null;
  familyName?: string | null;
  givenName?: string | null;
}

interface Preset {
  minLength: number;
  maxLength: number;
  /** The symbols a password may use; '' when any printable character is allowed. */
  symbols: string;
  composition: boolean;
  rules: PasswordRule[];
}

/** The portal's symbols, exactly as the seed lists them (AUTH-2). */
export const PORTAL_SYMBOLS = '!@#$%&*?+-=';

const PRESETS: Record<PasswordPolicyName, Preset> = {
  // AUTH-2 default, the portal's rule: 12–40 characters, four classes, only these characters.
  portal: {
    minLength: 12,
    maxLength: 40,
    symbols: PORTAL_SYMBOLS,
    composition: true,
    rules: [
      'min_length',
      'max_length',
      'lower',
      'upper',
      'digit',
      'symbol',
      'allowed_characters',
      'not_weak',
      'confirmation_matches',
    ],
  },
  // AUTH-2 (ours) OWASP ASVS / NIST 800-63B: length and a blocklist, no composition rules, because
  // composition rules push people to predictable patterns; 128 leaves room for passphrases.
  asvs: {
    minLength: 12,
    maxLength: 128,
    symbols: '',
    composition: false,
    rules: ['min_length', 'max_length', 'allowed_characters', 'not_weak', 'confirmation_matches'],
  },
};

const PORTAL_ALLOWED = /^[A-Za-z0-9!@#$%&*?+\-=]*$/;
/** Control characters, lone surrogates and unassigned code points are not "printable". */
const NOT_PRINTABLE = /[\p{Cc}\p{Cs}\p{Cn}]/u;
/** Look-alike substitutions inside a word ("P@ssw0rd"), undone before the dictionary check. */
const LEET: Record<string, string> = {
  '@': 'a',
  '4': 'a',
  '3': 'e',
  '1': 'i',
  '!': 'i',
  '0': 'o',
  $: 's',
  '5': 's',
  '7': 't',
  '+': 't',
};
/** Identity parts shorter than this match too much by chance ("li", "fm"). */
const MIN_IDENTITY_PART = 3;

/**
 * AUTH-2 password policy, chosen by PASSWORD_POLICY. Passwords are checked exactly as typed: no
 * trimming, no truncation, no normalisation.
 */
export class PasswordPolicy {
  private readonly preset: Preset;

  constructor(readonly name: PasswordPolicyName) {
    this.preset = PRESETS[name];
  }

  /** What `GET /auth/password-policy` shows. */
  view(): PasswordPolicyView {
    const { minLength, maxLength, symbols, rules } = this.preset;
    return { minLength, maxLength, symbols, rules: [...rules] };
  }

  /** Every rule the password breaks, in the order of `view().rules`; empty when it is acceptable. */
  violations(password: string, context: PasswordContext = {}): PasswordRule[] {
    const p = this.preset;
    const length = [...password].length;
    const broken: PasswordRule[] = [];
    if (length < p.minLength) {
      broken.push('min_length');
    }
    if (length > p.maxLength) {
      broken.push('max_length');
    }
    if (p.composition) {
      if (!/[a-z]/.test(password)) {
        broken.push('lower');
      }
      if (!/[A-Z]/.test(password)) {
        broken.push('upper');
      }
      if (!/[0-9]/.test(password)) {
        broken.push('digit');
      }
      if (![...password].some((c) => p.symbols.includes(c))) {
        broken.push('symbol');
      }
      if (!PORTAL_ALLOWED.test(password)) {
        broken.push('allowed_characters');
      }
    } else if (NOT_PRINTABLE.test(password)) {
      broken.push('allowed_characters');
    }
    if (length > 0 && isWeak(password, context)) {
      broken.push('not_weak');
    }
    return broken;
  }

  /** Throws `422 password_policy` with `details.violations` when the password breaks a rule. */
  assertAcceptable(password: string, context: PasswordContext = {}): void {
    const violations = this.violations(password, context);
    if (violations.length > 0) {
      throw new DomainError(ErrorCode.PasswordPolicy, { violations });
    }
  }
}

/** AUTH-2 "weak": one repeated character, a dictionary word alone, a common password, or identity. */
function isWeak(password: string, context: PasswordContext): boolean {
  const lower = password.toLowerCase();
  const chars = [...lower];
  if (chars.every((c) => c === chars[0])) {
    return true;
  }
  if (COMMON_PASSWORDS.has(lower)) {
    return true;
  }
  // "A dictionary word alone (digits/symbols stripped)": "Summer2024!!" is "summer". Look-alikes
  // inside a word are read as the letters they imitate first, so "P@ssw0rd123!" is "password".
  const lettersOnly = (s: string) => s.replace(/[^\p{L}]/gu, '');
  const unLeeted = lower.replace(/(?<=\p{L})[@4310!$57+]+(?=\p{L})/gu, (run) =>
    [...run].map((c) => LEET[c] ?? c).join(''),
  );
  if (DICTIONARY_WORDS.has(lettersOnly(lower)) || DICTIONARY_WORDS.has(lettersOnly(unLeeted))) {
    return true;
  }
  return identityParts(context).some((part) => lower.includes(part));
}

/** The user's ID, e-mail local part and names, and their pieces, lower-cased, ≥ 3 characters. */
function identityParts(context: PasswordContext): string[] {
  const clean = (s: string | null | undefined) => (s ?? '').normalize('NFKC').trim().toLowerCase();
  const parts: string[] = [];
  const userId = clean(context.userId);
  if (userId) {
    parts.push(userId);
    const at = userId.lastIndexOf('@');
    if (at > 0) {
      parts.push(...withPieces(userId.slice(0, at)));
    }
  }
  const email = clean(context.email);
  const at = email.lastIndexOf('@');
  if (at > 0) {
    parts.push(...withPieces(email.slice(0, at)));
  }
  for (const name of [clean(context.familyName), clean(context.givenName)]) {
    if (name) {
      parts.push(...withPieces(name));
    }
  }
  return [...new Set(parts)].filter((p) => [...p].length >= MIN_IDENTITY_PART);
}

/** "taro.yamada" → ["taro.yamada", "taro", "yamada"]: each piece identifies the user too. */
function withPieces(value: string): string[] {
  return [value, ...value.split(/[\s._+-]+/u).filter(Boolean)];
}
