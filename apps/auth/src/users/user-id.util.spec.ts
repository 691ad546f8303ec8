import { DomainError, ErrorCode } from '@app/contracts';
import { checkedUserId, MAX_USER_ID_LENGTH, suggestedUserId } from './user-id.util';

describe(suggestedUserId.name, () => {
  it('is the e-mail address + .fm (AUTH-1)', () => {
    expect(suggestedUserId('taro.yamada@example.co.jp')).toBe('taro.yamada@example.co.jp.fm');
  });

  it('keeps an address of 37 characters whole: 37 + .fm is exactly 40', () => {
    const email = `${'a'.repeat(25)}@example.com`;
    expect(email).toHaveLength(37);
    expect(suggestedUserId(email)).toBe(`${email}.fm`);
    expect(suggestedUserId(email)).toHaveLength(MAX_USER_ID_LENGTH);
  });

  it('cuts an address of 38 characters to its first 37 before .fm', () => {
    const email = `${'b'.repeat(26)}@example.com`;
    expect(email).toHaveLength(38);
    expect(suggestedUserId(email)).toBe(`${email.slice(0, 37)}.fm`);
    expect(suggestedUserId(email)).toHaveLength(40);
  });

  it('cuts a long address to its first 37 characters too, so every suggestion fits 40', () => {
    const email = `${'c'.repeat(60)}@very-long-subdomain.example.com`;
    const suggestion = suggestedUserId(email);
    expect(suggestion).toBe(`${'c'.repeat(37)}.fm`);
    expect(suggestion).toHaveLength(40);
    expect(checkedUserId(suggestion)).toBe(suggestion);
  });

  it('drops surrounding spaces before counting', () => {
    expect(suggestedUserId('  jiro@example.com ')).toBe('jiro@example.com.fm');
  });

  it('counts characters, not UTF-16 units, so a character is never cut in half', () => {
    const email = `${'𝒶'.repeat(40)}@example.com`;
    const suggestion = suggestedUserId(email);
    expect([...suggestion]).toHaveLength(40);
    expect(suggestion).toBe(`${'𝒶'.repeat(37)}.fm`);
  });
});

describe(checkedUserId.name, () => {
  it('accepts 1 and 40 characters and drops surrounding spaces', () => {
    expect(checkedUserId(' a ')).toBe('a');
    expect(checkedUserId('x'.repeat(40))).toBe('x'.repeat(40));
  });

  it.each(['', '   ', 'x'.repeat(41), 'tab\tinside', 'new\nline'])(
    'refuses %j as validation_failed on userId',
    (raw) => {
      let error: unknown;
      try {
        checkedUserId(raw);
      } catch (e) {
        error = e;
      }
      expect(error).toBeInstanceOf(DomainError);
      expect(error).toMatchObject({
        code: ErrorCode.ValidationFailed,
        details: { fields: { userId: expect.any(Array) } },
      });
    },
  );
});
