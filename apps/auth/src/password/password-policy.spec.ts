import { DomainError, ErrorCode } from '@app/contracts';
import { COMMON_PASSWORDS } from './common-passwords';
import { PasswordPolicy, PORTAL_SYMBOLS } from './password-policy';

/** Meets every portal rule and shares nothing with the contexts below. */
const GOOD = 'Qz7#mK2!vRw9';

describe(PasswordPolicy.name, () => {
  describe('portal preset (AUTH-2 default)', () => {
    const sut = new PasswordPolicy('portal');

    it('publishes the view the API fixes', () => {
      expect(sut.view()).toEqual({
        minLength: 12,
        maxLength: 40,
        symbols: '!@#$%&*?+-=',
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
      });
    });

    it('accepts a password meeting every rule', () => {
      expect(sut.violations(GOOD)).toEqual([]);
      expect(() => sut.assertAcceptable(GOOD)).not.toThrow();
    });

    it.each([
      ['Qz7#mK2!vRw', ['min_length']],
      ['Qz7#mK2!vRw9', []],
      ['Qz7#mK2!vRw9'.padEnd(40, 'x'), []],
      ['Qz7#mK2!vRw9'.padEnd(41, 'x'), ['max_length']],
    ])('length boundaries: %j → %j', (password, expected) => {
      expect(sut.violations(password)).toEqual(expected);
    });

    it.each([
      ['QZ7#MK2!VRW9', 'lower'],
      ['qz7#mk2!vrw9', 'upper'],
      ['Qzx#mKy!vRwz', 'digit'],
      ['Qz7xmK2yvRw9', 'symbol'],
    ])('requires every class: %j breaks %s', (password, rule) => {
      expect(sut.violations(password)).toEqual([rule]);
    });

    it.each([...PORTAL_SYMBOLS])('accepts the symbol %j', (symbol) => {
      expect(sut.violations(`Qz7${symbol}mK2vRw9x`)).toEqual([]);
    });

    it.each([' ', '^', '_', '.', '~', '/', 'é', 'あ', '\u0000', '😀'])('refuses the character %j', (char) => {
      expect(sut.violations(`Qz7#mK2!vRw9${char}`)).toEqual(['allowed_characters']);
    });

    it('reports every violation at once, in the order of the rules', () => {
      expect(sut.violations('ab')).toEqual(['min_length', 'upper', 'digit', 'symbol']);
      expect(sut.violations('')).toEqual(['min_length', 'lower', 'upper', 'digit', 'symbol']);
      expect(sut.violations('a b')).toEqual(['min_length', 'upper', 'digit', 'symbol', 'allowed_characters']);
    });

    it('counts characters, not UTF-16 units', () => {
      // 12 code points, 13 UTF-16 units: the length rule passes, the character rule does not.
      expect(sut.violations('Qz7#mK2!vRw😀')).toEqual(['allowed_characters']);
    });

    it('compares exactly as typed: no trimming, no truncation', () => {
      expect(sut.violations(` ${GOOD}`)).toEqual(['allowed_characters']);
      expect(sut.violations(`${GOOD}${'a'.repeat(29)}`)).toEqual(['max_length']);
    });

    describe('not_weak', () => {
      it('refuses a single repeated character (case-insensitively)', () => {
        expect(sut.violations('aaaaaaaaaaaa')).toContain('not_weak');
        expect(sut.violations('aAaAaAaAaAaA')).toContain('not_weak');
        expect(sut.violations('############')).toContain('not_weak');
      });

      it.each([
        'Password123!',
        'Summer2024!!',
        'Administrator1!',
        'Welcome#2025',
        '123Sunshine!',
        'Qwertyuiop1!',
        'Sakura!12345',
      ])('refuses a dictionary word alone once digits and symbols are stripped: %j', (password) => {
        expect(sut.violations(password)).toEqual(['not_weak']);
      });

      it.each(['P@ssw0rd123!', 'Dr4gon!12345', 'Sup3rm@n2024!'])(
        'reads look-alikes inside a word: %j',
        (password) => {
          expect(sut.violations(password)).toEqual(['not_weak']);
        },
      );

      it('lets two words or a word with other letters pass the dictionary rule', () => {
        expect(sut.violations('Summer#Tiger7')).toEqual([]);
        expect(sut.violations('Passwordx12!A')).toEqual([]);
      });

      it('refuses entries of the common-password list, whatever their case', () => {
        expect(sut.violations('Qwerty123456!')).toEqual(['not_weak']);
        expect(sut.violations('1Qaz2Wsx3Edc!')).toEqual(['not_weak']);
        expect(sut.violations('P@ssw0rd1234')).toEqual(['not_weak']);
      });

      it('embeds a few hundred common passwords, lower-cased', () => {
        expect(COMMON_PASSWORDS.size).toBeGreaterThan(300);
        expect([...COMMON_PASSWORDS].every((p) => p === p.toLowerCase())).toBe(true);
      });

      const context = {
        userId: 'Taro.Yamada@Example.com.fm',
        email: 'Tyk-work@example.com',
        familyName: 'Yamada',
        givenName: 'Taro',
      };

      it('refuses a password containing the whole user ID, case-insensitively', () => {
        expect(sut.violations('Q7#KZ-admin-01x', { userId: 'kz-Admin-01' })).toEqual(['not_weak']);
      });

      it.each([
        ['a piece of the user ID', 'Qz7#TARO-mK2!'],
        ['the e-mail local part', 'Qz7#TYK-Work1x'],
        ['a piece of the e-mail local part', 'Qz7#WORKmK2!v'],
        ['the family name', 'Qz7#yAmAdAmK2!'],
        ['the given name', 'Qz7#mK2!Taro9'],
      ])('refuses a password containing %s', (_what, password) => {
        expect(sut.violations(password, context)).toEqual(['not_weak']);
      });

      it('ignores identity parts shorter than 3 characters and the e-mail domain', () => {
        const short = { userId: 'li', email: 'xy@example.com', familyName: 'Li', givenName: 'Bo' };
        expect(sut.violations('Qz7#LiBoXy2!example', short)).toEqual([]);
      });

      it('checks names written full-width as their ASCII form', () => {
        expect(sut.violations('Qz7#Yamada2!v', { familyName: 'ＹＡＭＡＤＡ' })).toEqual(['not_weak']);
      });
    });

    it('throws 422 password_policy with the rule ids', () => {
      try {
        sut.assertAcceptable('short');
        throw new Error('expected a DomainError');
      } catch (error) {
        expect(error).toBeInstanceOf(DomainError);
        expect((error as DomainError).code).toBe(ErrorCode.PasswordPolicy);
        expect((error as DomainError).details).toEqual({
          violations: ['min_length', 'upper', 'digit', 'symbol'],
        });
      }
    });
  });

  describe('asvs preset (AUTH-2, OWASP ASVS / NIST 800-63B)', () => {
    const sut = new PasswordPolicy('asvs');

    it('publishes length and blocklist rules only', () => {
      expect(sut.view()).toEqual({
        minLength: 12,
        maxLength: 128,
        symbols: '',
        rules: ['min_length', 'max_length', 'allowed_characters', 'not_weak', 'confirmation_matches'],
      });
    });

    it('has no composition rules: any printable Unicode, spaces included', () => {
      expect(sut.violations('correct horse battery staple')).toEqual([]);
      expect(sut.violations('パスワードは秘密の合言葉です')).toEqual([]);
      expect(sut.violations('ünïcödé ßtrâße 😀 ok')).toEqual([]);
    });

    it.each([
      ['a'.repeat(11) + 'b', []],
      ['x'.repeat(10) + 'y', ['min_length']],
      ['correct horse '.repeat(9).slice(0, 128), []],
      ['correct horse '.repeat(10).slice(0, 129), ['max_length']],
    ])('length boundaries: %j → %j', (password, expected) => {
      expect(sut.violations(password)).toEqual(expected);
    });

    it('refuses control characters and lone surrogates', () => {
      expect(sut.violations('correct horse\u0007staple')).toEqual(['allowed_characters']);
      expect(sut.violations('correct horse\ud800staple')).toEqual(['allowed_characters']);
    });

    it('still refuses blocklisted passwords and identity', () => {
      expect(sut.violations('password1234')).toEqual(['not_weak']);
      expect(sut.violations('zzzzzzzzzzzzzz')).toEqual(['not_weak']);
      expect(sut.violations('my name is yamada!', { familyName: 'Yamada' })).toEqual(['not_weak']);
    });
  });
});
