import { PasskeyLoginOptionsDto } from './passkey.dto';
import { UpdateProfileDto } from './me.dto';
import { malformedText, MultiLineText, textProblem, unexpectedNulls } from './input-text.util';

class NoteDto {
  title!: string;
  @MultiLineText()
  body!: string;
}

describe('input text rule', () => {
  it.each([
    ['a lone high surrogate', '\ud800'],
    ['a lone low surrogate', 'x\udc00y'],
    ['NUL', 'a\u0000b'],
    ['an escape', 'a\u001bb'],
    ['a backspace', '\u0008'],
  ])('refuses %s everywhere', (_label, value) => {
    expect(textProblem(value, true)).not.toBeNull();
    expect(textProblem(value, false)).not.toBeNull();
  });

  it('keeps tab and line breaks for multi-line fields only', () => {
    expect(textProblem('line 1\r\nline 2\tend', true)).toBeNull();
    expect(textProblem('line 1\nline 2', false)).not.toBeNull();
  });

  it('accepts Japanese, emoji (surrogate pairs) and symbols', () => {
    expect(textProblem('山田 太郎 🙂 Ｆｕｌｌ－ｗｉｄｔｈ !@#', false)).toBeNull();
  });

  it('allows line breaks only in fields marked multi-line', () => {
    expect(malformedText({ title: 'one line', body: 'line 1\nline 2' }, NoteDto)).toEqual({});
    expect(malformedText({ title: 'line 1\nline 2', body: 'x' }, NoteDto)).toEqual({
      title: ['must not contain control characters'],
    });
    expect(malformedText('a\nb', undefined, 'token')).toEqual({
      token: ['must not contain control characters'],
    });
  });

  it('names each bad field by its path, nested and in arrays, and bad keys', () => {
    expect(
      malformedText({ ok: 'x', a: { b: ['fine', 'bad\u0000'] }, ['k\u0000']: 'v', n: 1, z: null }),
    ).toEqual({
      'a.b[1]': ['must not contain control characters'],
      value: ['has a field name that is not acceptable text'],
    });
  });

  it('refuses a body nested deeper than any DTO instead of walking it', () => {
    let deep: unknown = 'x';
    for (let i = 0; i < 100; i++) {
      deep = [deep];
    }
    expect(Object.values(malformedText({ deep }))).toEqual([['is nested too deeply']]);
  });

  it('refuses null where the DTO does not document a nullable field', () => {
    expect(unexpectedNulls({ userId: null }, PasskeyLoginOptionsDto)).toEqual({
      userId: ['must not be null'],
    });
    expect(unexpectedNulls({}, PasskeyLoginOptionsDto)).toEqual({});
  });

  it('accepts null where the DTO documents it (removing a phone)', () => {
    expect(unexpectedNulls({ phone: null }, UpdateProfileDto)).toEqual({});
  });
});
