import { normalizeUserId } from './user-id-key';

describe(normalizeUserId.name, () => {
  it('folds case, so Admin and admin are one ID (AUTH-1)', () => {
    expect(normalizeUserId('Admin@Example.COM.fm')).toBe('admin@example.com.fm');
  });

  it('drops surrounding spaces and tabs, so variants share one lockout count (AUTH-3)', () => {
    expect(normalizeUserId('  taro.yamada \t')).toBe('taro.yamada');
  });

  it('folds full-width input typed on a Japanese keyboard onto the same key (NFKC)', () => {
    expect(normalizeUserId('ＡＤＭＩＮ＠ｅｘａｍｐｌｅ．ｃｏｍ')).toBe('admin@example.com');
    expect(normalizeUserId('\u3000taro\u3000')).toBe('taro');
  });

  it('keeps inner characters: different IDs stay different', () => {
    expect(normalizeUserId('taro.yamada')).not.toBe(normalizeUserId('taro_yamada'));
    expect(normalizeUserId('a b')).toBe('a b');
  });

  it('normalises before it trims: a character NFKC turns into a space leaves none around the key', () => {
    expect(normalizeUserId('\u00a8taro')).toBe('\u0308taro');
  });

  it('is idempotent', () => {
    const once = normalizeUserId(' Ｔａｒｏ.YAMADA ');
    expect(normalizeUserId(once)).toBe(once);
  });
});
