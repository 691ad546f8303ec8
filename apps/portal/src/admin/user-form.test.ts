import { describe, expect, it } from 'vitest';
import type { AdminUser } from './types';
import {
  createBody,
  createUserSchema,
  editChanges,
  editUserSchema,
  editValues,
  EMPTY_USER,
  generateInitialPassword,
} from './user-form';

const USER: AdminUser = {
  id: '00000000-0000-4000-8000-000000000001',
  userId: 'taro@example.co.jp.fm',
  email: 'taro@example.co.jp',
  familyName: '山田',
  givenName: '太郎',
  displayName: null,
  title: '課長',
  phone: '+819012345678',
  officePhone: null,
  language: 'ja',
  timezone: 'Asia/Tokyo',
  admin: false,
  mfaRequired: false,
  loginDisabled: false,
  locked: false,
  emailUndeliverable: false,
  notificationEmail: null,
  createdAt: '2026-01-01T00:00:00.000Z',
};

function messages(result: {
  success: boolean;
  error?: { issues: { path: PropertyKey[]; message: string }[] };
}) {
  return Object.fromEntries((result.error?.issues ?? []).map((i) => [i.path.join('.'), i.message]));
}

describe('the user form schema', () => {
  it('asks for the family name and an e-mail address, and refuses a malformed one', () => {
    expect(messages(createUserSchema.safeParse(EMPTY_USER))).toEqual({
      familyName: 'validation.required',
      email: 'validation.required',
    });
    const malformed = createUserSchema.safeParse({
      ...EMPTY_USER,
      familyName: '山田',
      email: 'not-an-address',
    });
    expect(messages(malformed)).toEqual({ email: 'validation.email' });
  });

  it('takes a mobile phone in E.164 form only, and a time zone name, not an offset', () => {
    const base = { ...editValues(USER) };
    expect(messages(editUserSchema.safeParse({ ...base, phone: '090-1234-5678' }))).toEqual({
      phone: 'admin.validation.phone',
    });
    expect(editUserSchema.safeParse({ ...base, phone: '' }).success).toBe(true);
    expect(messages(editUserSchema.safeParse({ ...base, timezone: '+09:00' }))).toEqual({
      timezone: 'admin.validation.timezone',
    });
    expect(messages(editUserSchema.safeParse({ ...base, timezone: 'Mars/Olympus' }))).toEqual({
      timezone: 'admin.validation.timezone',
    });
    expect(editUserSchema.safeParse({ ...base, timezone: 'Europe/Berlin' }).success).toBe(true);
  });

  it('refuses a user ID over 40 characters and leaves an empty one to the suggestion', () => {
    const valid = { ...EMPTY_USER, familyName: '山田', email: 'taro@example.co.jp' };
    expect(messages(createUserSchema.safeParse({ ...valid, userId: 'x'.repeat(41) }))).toEqual({
      userId: 'admin.validation.userIdLength',
    });
    const parsed = createUserSchema.parse({ ...valid, userId: '' });
    expect(createBody(parsed)).not.toHaveProperty('userId');
  });

  it('needs an initial authentication password for an admin and sends none for anyone else', () => {
    const valid = { ...EMPTY_USER, familyName: '山田', email: 'taro@example.co.jp' };
    expect(messages(createUserSchema.safeParse({ ...valid, admin: true }))).toEqual({
      initialPassword: 'admin.validation.initialPassword',
    });
    const admin = createUserSchema.parse({ ...valid, admin: true, initialPassword: 'Aa3!Aa3!Aa3!Aa3!' });
    expect(createBody(admin)).toMatchObject({ admin: true, initialPassword: 'Aa3!Aa3!Aa3!Aa3!' });
    // A password typed before the admin box was unticked again is not sent.
    const user = createUserSchema.parse({ ...valid, admin: false, initialPassword: 'left over' });
    expect(createBody(user)).not.toHaveProperty('initialPassword');
  });
});

describe('editChanges', () => {
  it('sends only what changed, and an emptied optional field as null', () => {
    const values = { ...editValues(USER), familyName: '佐藤', title: '', language: 'en' as const };
    expect(editChanges(USER, values)).toEqual({ familyName: '佐藤', title: null, language: 'en' });
  });

  it('sends nothing when nothing changed', () => {
    expect(editChanges(USER, editValues(USER))).toEqual({});
  });
});

describe('generateInitialPassword', () => {
  it('meets the default policy: 16 characters with every class, symbols from the policy only', () => {
    for (let i = 0; i < 50; i++) {
      const password = generateInitialPassword('!@#$%&*?+-=');
      expect(password).toHaveLength(16);
      expect(password).toMatch(/[a-z]/);
      expect(password).toMatch(/[A-Z]/);
      expect(password).toMatch(/[0-9]/);
      expect(password).toMatch(/[!@#$%&*?+\-=]/);
      expect(password).toMatch(/^[A-Za-z0-9!@#$%&*?+\-=]+$/);
    }
  });

  it('gives a different password each time', () => {
    const seen = new Set(Array.from({ length: 20 }, () => generateInitialPassword()));
    expect(seen.size).toBe(20);
  });
});
