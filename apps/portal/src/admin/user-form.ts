import { z } from 'zod';
import { LANGUAGES } from '../i18n/i18n';
import type { AdminUser } from './types';

/** The same rules the API applies (API.md, AUTH-1, AUTH-21), so a mistake shows before the call. */
const E164 = /^\+[1-9][0-9]{6,14}$/;
const OFFICE_PHONE = /^\+?[0-9][0-9 ()-]{4,28}[0-9]$/;
export const MAX_USER_ID = 40;
const MAX_NAME = 100;
const MAX_TITLE = 100;
const MAX_EMAIL = 254;

/** An IANA zone name the browser knows (`Asia/Tokyo`), not an offset (`+09:00`). */
export function isTimeZone(value: string): boolean {
  if (!/^[A-Za-z]/.test(value)) {
    return false;
  }
  try {
    new Intl.DateTimeFormat('en', { timeZone: value });
    return true;
  } catch {
    return false;
  }
}

const optionalText = (max: number) => z.string().trim().max(max, 'admin.validation.tooLong');

const userFields = {
  familyName: z.string().trim().min(1, 'validation.required').max(MAX_NAME, 'admin.validation.tooLong'),
  givenName: optionalText(MAX_NAME),
  email: z
    .string()
    .trim()
    .min(1, 'validation.required')
    .max(MAX_EMAIL, 'admin.validation.tooLong')
    .pipe(z.email('validation.email')),
  title: optionalText(MAX_TITLE),
  phone: z
    .string()
    .trim()
    .refine((v) => v === '' || E164.test(v), 'admin.validation.phone'),
  officePhone: z
    .string()
    .trim()
    .refine((v) => v === '' || OFFICE_PHONE.test(v), 'admin.validation.officePhone'),
  language: z.enum(LANGUAGES),
  timezone: z.string().trim().min(1, 'validation.required').refine(isTimeZone, 'admin.validation.timezone'),
  admin: z.boolean(),
  mfaRequired: z.boolean(),
};

export const userIdSchema = z
  .string()
  .trim()
  .min(1, 'validation.required')
  .max(MAX_USER_ID, 'admin.validation.userIdLength');

/** Editing a user: the fields of `PATCH /admin/users/{id}`. */
export const editUserSchema = z.object(userFields);
export type EditUserForm = z.infer<typeof editUserSchema>;

/**
 * Creating a user: an empty user ID takes the suggested one; an admin needs the initial
 * authentication password (AUTH-14), and nobody else may get one.
 */
export const createUserSchema = z
  .object({
    ...userFields,
    userId: z.string().trim().max(MAX_USER_ID, 'admin.validation.userIdLength'),
    initialPassword: z.string(),
  })
  .superRefine((values, ctx) => {
    if (values.admin && values.initialPassword.length === 0) {
      ctx.addIssue({
        code: 'custom',
        path: ['initialPassword'],
        message: 'admin.validation.initialPassword',
      });
    }
  });
export type CreateUserForm = z.infer<typeof createUserSchema>;

export const EMPTY_USER: CreateUserForm = {
  familyName: '',
  givenName: '',
  email: '',
  userId: '',
  title: '',
  phone: '',
  officePhone: '',
  language: 'ja',
  timezone: 'Asia/Tokyo',
  admin: false,
  mfaRequired: false,
  initialPassword: '',
};

/** The body of `POST /admin/users`: empty optional fields left out, the password only for an admin. */
export function createBody(values: CreateUserForm): Record<string, unknown> {
  const body: Record<string, unknown> = {
    familyName: values.familyName,
    email: values.email,
    language: values.language,
    timezone: values.timezone,
    admin: values.admin,
    mfaRequired: values.mfaRequired,
  };
  for (const key of ['givenName', 'userId', 'title', 'phone', 'officePhone'] as const) {
    if (values[key]) {
      body[key] = values[key];
    }
  }
  if (values.admin) {
    body.initialPassword = values.initialPassword;
  }
  return body;
}

export function editValues(user: AdminUser): EditUserForm {
  return {
    familyName: user.familyName,
    givenName: user.givenName ?? '',
    email: user.email,
    title: user.title ?? '',
    phone: user.phone ?? '',
    officePhone: user.officePhone ?? '',
    language: user.language,
    timezone: user.timezone,
    admin: user.admin,
    mfaRequired: user.mfaRequired,
  };
}

/**
 * The body of `PATCH /admin/users/{id}`: only what changed, an emptied optional field as `null`
 * (it clears it). Sending only changes keeps the audit trail's `auth.user.updated` precise.
 */
export function editChanges(user: AdminUser, values: EditUserForm): Record<string, unknown> {
  const before = editValues(user);
  const changes: Record<string, unknown> = {};
  for (const key of Object.keys(values) as (keyof EditUserForm)[]) {
    if (values[key] === before[key]) {
      continue;
    }
    const nullable = key === 'givenName' || key === 'title' || key === 'phone' || key === 'officePhone';
    changes[key] = nullable && values[key] === '' ? null : values[key];
  }
  return changes;
}

const LOWER = 'abcdefghijkmnopqrstuvwxyz';
const UPPER = 'ABCDEFGHJKLMNPQRSTUVWXYZ';
const DIGITS = '23456789';

/**
 * A proposal for a new admin's initial authentication password: 16 characters with every class the
 * policy asks for (AUTH-2), from the browser's secure random source; look-alikes (l, I, O, 0, 1) are
 * left out because the admin reads it out or writes it down for the new admin.
 */
export function generateInitialPassword(symbols = '!@#$%&*?+-=', length = 16): string {
  const classes = [LOWER, UPPER, DIGITS, symbols].filter(Boolean);
  const all = classes.join('');
  const random = new Uint32Array(length * 2);
  crypto.getRandomValues(random);
  const chars = classes.map((set, i) => set[random[i] % set.length]);
  for (let i = chars.length; i < length; i++) {
    chars.push(all[random[i] % all.length]);
  }
  // Shuffle so the classes are not always in the first four places.
  for (let i = chars.length - 1; i > 0; i--) {
    const j = random[length + i] % (i + 1);
    [chars[i], chars[j]] = [chars[j], chars[i]];
  }
  return chars.join('');
}
