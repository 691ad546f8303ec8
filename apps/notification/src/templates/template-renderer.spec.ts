import { NotificationEnv } from '@app/config';
import { LANGUAGES, NotificationChannel } from '@app/contracts';
import { TemplateError } from './template.error';
import { TemplateRenderer } from './template-renderer';

const sixDigitRuns = (text: string) => text.match(/(?<!\d)\d{6}(?!\d)/g) ?? [];

function renderer(mailFrom = 'Security Advisory Center <noreply@mamori.local>'): TemplateRenderer {
  return new TemplateRenderer({ MAIL_FROM: mailFrom } as NotificationEnv);
}

const CHANNELS: NotificationChannel[] = ['email', 'sms'];

describe(TemplateRenderer.name, () => {
  describe('security-code', () => {
    for (const language of LANGUAGES) {
      for (const channel of CHANNELS) {
        it(`makes the code the only 6-digit run of the ${language} ${channel}`, () => {
          const sut = renderer();
          const out = sut.render({
            channel,
            template: 'security-code',
            language,
            params: { code: '004271', expiresInMinutes: 10 },
          });
          expect(sixDigitRuns(`${out.subject ?? ''}\n${out.text}`)).toEqual(['004271']);
          expect(out.text).toContain('10');
          expect(out.text).toContain('Security Advisory Center');
          if (channel === 'email') {
            expect(out.subject).toBeTruthy();
          } else {
            expect(out.subject).toBeUndefined();
          }
        });
      }
    }

    it('writes natural Japanese with the expiry in minutes', () => {
      const out = renderer().render({
        channel: 'email',
        template: 'security-code',
        language: 'ja',
        params: { code: '123456', expiresInMinutes: 5 },
      });
      expect(out.subject).toBe('セキュリティコードのお知らせ');
      expect(out.text).toContain('セキュリティコード：123456');
      expect(out.text).toContain('有効期限は5分です');
    });

    it('writes English with a singular minute when it is one', () => {
      const out = renderer().render({
        channel: 'email',
        template: 'security-code',
        language: 'en',
        params: { code: '123456', expiresInMinutes: 1 },
      });
      expect(out.subject).toBe('Your security code');
      expect(out.text).toContain('It expires in 1 minute.');
    });

    it.each([['12345'], ['1234567'], ['12a456'], ['']])(
      'refuses a code that is not 6 digits (%p)',
      (code) => {
        expect(() =>
          renderer().render({
            channel: 'sms',
            template: 'security-code',
            language: 'en',
            params: { code, expiresInMinutes: 10 },
          }),
        ).toThrow(TemplateError);
      },
    );

    it('refuses to render when something else would also be a 6-digit run', () => {
      const sut = renderer('Center 246810 <noreply@x.test>');
      expect(() =>
        sut.render({
          channel: 'email',
          template: 'security-code',
          language: 'ja',
          params: { code: '123456', expiresInMinutes: 10 },
        }),
      ).toThrow(new TemplateError('code_not_unique_in_message'));
      expect(() =>
        renderer().render({
          channel: 'sms',
          template: 'security-code',
          language: 'en',
          params: { code: '123456', expiresInMinutes: 100000 },
        }),
      ).toThrow(TemplateError);
    });
  });

  describe('password-reset-link', () => {
    const params = {
      link: 'https://portal.example/password-reset/abcDEF_123',
      expiresAt: '2026-03-04T05:06:00.000Z',
    };

    it('gives the link and its expiry in Japan time, in Japanese', () => {
      const out = renderer().render({
        channel: 'email',
        template: 'password-reset-link',
        language: 'ja',
        params,
      });
      expect(out.subject).toBe('パスワード再設定のご案内');
      expect(out.text).toContain(params.link);
      expect(out.text).toContain('2026年3月4日 14:06（日本時間）まで有効');
    });

    it('gives the link and its expiry in English', () => {
      const out = renderer().render({
        channel: 'email',
        template: 'password-reset-link',
        language: 'en',
        params,
      });
      expect(out.text).toContain(params.link);
      expect(out.text).toContain('valid until 4 March 2026 at 14:06 (Japan time, UTC+9)');
    });

    it('refuses a link that is not an http(s) URL or an unreadable expiry', () => {
      const sut = renderer();
      expect(() =>
        sut.render({
          channel: 'email',
          template: 'password-reset-link',
          language: 'en',
          params: { ...params, link: 'javascript:alert(1)' },
        }),
      ).toThrow(TemplateError);
      expect(() =>
        sut.render({
          channel: 'email',
          template: 'password-reset-link',
          language: 'en',
          params: { ...params, expiresAt: 'soon' },
        }),
      ).toThrow(TemplateError);
    });
  });

  describe('password-reset-refused', () => {
    it('says until when resets are unavailable', () => {
      const sut = renderer();
      const until = '2026-03-05T00:00:00.000Z';
      const ja = sut.render({
        channel: 'email',
        template: 'password-reset-refused',
        language: 'ja',
        params: { until },
      });
      const en = sut.render({
        channel: 'email',
        template: 'password-reset-refused',
        language: 'en',
        params: { until },
      });
      expect(ja.text).toContain('2026年3月5日 9:00（日本時間）以降に');
      expect(en.text).toContain('resets are unavailable until 5 March 2026 at 09:00 (Japan time, UTC+9)');
    });
  });

  describe('password-reset-completed', () => {
    it('tells that the reset is done and sessions ended', () => {
      const sut = renderer();
      const ja = sut.render({
        channel: 'email',
        template: 'password-reset-completed',
        language: 'ja',
        params: {},
      });
      const en = sut.render({
        channel: 'sms',
        template: 'password-reset-completed',
        language: 'en',
        params: {},
      });
      expect(ja.subject).toBe('パスワード再設定完了のお知らせ');
      expect(ja.text).toContain('すべての端末でログアウトしています');
      expect(en.text).toContain('your password has been reset');
    });
  });

  it('signs without a name when MAIL_FROM is a bare address', () => {
    const out = renderer('noreply@mamori.local').render({
      channel: 'sms',
      template: 'security-code',
      language: 'ja',
      params: { code: '123456', expiresInMinutes: 10 },
    });
    expect(out.text.startsWith('セキュリティコード：123456')).toBe(true);
  });
});
