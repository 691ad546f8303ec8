import { ConfigError, NotificationEnv } from '@app/config';
import { LANGUAGES, NotificationChannel } from '@app/contracts';
import { TemplateError } from './template.error';
import { TemplateRenderer } from './template-renderer';
import { TEST_SENDER, testRenderer } from './template-test.util';

const sixDigitRuns = (text: string) => text.match(/(?<!\d)\d{6}(?!\d)/g) ?? [];

function renderer(mailFrom = 'Security Advisory Center <noreply@mamori.local>'): TemplateRenderer {
  return new TemplateRenderer({
    MAIL_FROM: mailFrom,
    PUBLIC_URL: 'https://portal.example',
  } as NotificationEnv);
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
      link: 'https://portal.example/password-reset/abcDEF_123456789xyz',
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

    it('refuses a link outside PUBLIC_URL/password-reset/<token>, pinned to the portal', () => {
      const sut = renderer();
      for (const link of [
        'https://evil.example/password-reset/abcDEF_123456789xyz',
        'https://portal.example.evil.example/password-reset/abcDEF_123456789xyz',
        'https://portal.example@evil.example/password-reset/abcDEF_123456789xyz',
        'https://portal.example/password-reset/abcDEF_123456789xyz/../../elsewhere',
        'https://portal.example/password-reset/abcDEF_123456789xyz?next=https://evil.example',
        'http://portal.example/password-reset/abcDEF_123456789xyz',
      ]) {
        expect(() =>
          sut.render({
            channel: 'email',
            template: 'password-reset-link',
            language: 'en',
            params: { ...params, link },
          }),
        ).toThrow(TemplateError);
      }
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

  describe('password-changed', () => {
    it('tells that the password changed and the other sessions ended, in both languages', () => {
      const sut = renderer();
      const ja = sut.render({ channel: 'email', template: 'password-changed', language: 'ja', params: {} });
      const en = sut.render({ channel: 'email', template: 'password-changed', language: 'en', params: {} });
      expect(ja.subject).toBe('パスワード変更のお知らせ');
      expect(ja.text).toContain('パスワードが変更されました');
      expect(ja.text).toContain('変更の操作を行った端末以外では、すべてログアウトしています');
      expect(en.subject).toBe('Your password has been changed');
      expect(en.text).toContain('signed out on every device except the one used for the change');
      for (const out of [ja, en]) {
        expect(out.text).toContain('Security Advisory Center');
      }
    });
  });

  describe('sms-disabled', () => {
    it('says why SMS codes stopped: the line was cancelled, or the phone removed', () => {
      const sut = renderer();
      const cancelled = sut.render({
        channel: 'email',
        template: 'sms-disabled',
        language: 'ja',
        params: { reason: 'line_cancelled' },
      });
      const removed = sut.render({
        channel: 'email',
        template: 'sms-disabled',
        language: 'en',
        params: { reason: 'phone_removed' },
      });
      expect(cancelled.subject).toBe('SMSによるセキュリティコード送信停止のお知らせ');
      expect(cancelled.text).toContain(
        '回線が解約されたため、SMSによるセキュリティコードの送信を停止しました',
      );
      expect(removed.subject).toBe('Security codes by SMS have been turned off');
      expect(removed.text).toContain('because your registered mobile number has been removed');
      expect(removed.text).toContain('sent by e-mail');
    });

    it('refuses a reason it does not know', () => {
      expect(() =>
        renderer().render({
          channel: 'email',
          template: 'sms-disabled',
          language: 'en',
          params: { reason: 'whatever' as 'line_cancelled' },
        }),
      ).toThrow(new TemplateError('invalid_reason_parameter'));
    });
  });

  describe('mfa-reset', () => {
    it('names the case the reset answered, in both languages and channels', () => {
      const sut = renderer();
      for (const language of LANGUAGES) {
        for (const channel of CHANNELS) {
          const out = sut.render({
            channel,
            template: 'mfa-reset',
            language,
            params: { caseNumber: 'CS0000123' },
          });
          expect(out.text).toContain('CS0000123');
        }
      }
      const ja = sut.render({
        channel: 'email',
        template: 'mfa-reset',
        language: 'ja',
        params: { caseNumber: 'CS0000123' },
      });
      expect(ja.subject).toBe('2段階認証の設定リセットのお知らせ');
      expect(ja.text).toContain('お問い合わせ（受付番号：CS0000123）にもとづき');
      const en = sut.render({
        channel: 'email',
        template: 'mfa-reset',
        language: 'en',
        params: { caseNumber: 'CS0000123' },
      });
      expect(en.text).toContain('As requested in case CS0000123, we have reset the two-step verification');
    });

    it('refuses anything that is not a case number', () => {
      expect(() =>
        renderer().render({
          channel: 'email',
          template: 'mfa-reset',
          language: 'en',
          params: { caseNumber: 'call me on +819012345678' },
        }),
      ).toThrow(new TemplateError('invalid_case_number_parameter'));
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
  describe('contact-changed', () => {
    it('tells the old address or number which contact changed, in the user language', () => {
      const sut = renderer();
      const mail = sut.render({
        channel: 'email',
        template: 'contact-changed',
        language: 'ja',
        params: { field: 'email' },
      });
      const sms = sut.render({
        channel: 'sms',
        template: 'contact-changed',
        language: 'en',
        params: { field: 'phone' },
      });
      expect(mail.subject).toBe('メールアドレス変更のお知らせ');
      expect(mail.text).toContain('登録されているメールアドレスが変更されました');
      expect(sms.text).toContain('the mobile number of your account has been changed');
    });

    it('refuses a field it does not know', () => {
      expect(() =>
        renderer().render({
          channel: 'email',
          template: 'contact-changed',
          language: 'en',
          params: { field: 'password' as 'email' },
        }),
      ).toThrow(new TemplateError('invalid_field_parameter'));
    });
  });
});

describe('the sender per message type (MAIL_FROM_BY_TYPE)', () => {
  const sut = testRenderer({
    MAIL_FROM_BY_TYPE: JSON.stringify({ 'case-update': 'Support Desk <support@mamori.local>' }),
  });

  it('sends and signs a named type with its own sender, every other type with MAIL_FROM', () => {
    const caseMail = sut.render({
      channel: 'email',
      template: 'case-update',
      language: 'en',
      params: { caseNumber: 'CS0000001', event: 'created', subject: 's', status: 'New' },
    });
    const code = sut.render({
      channel: 'email',
      template: 'security-code',
      language: 'en',
      params: { code: '123456', expiresInMinutes: 5 },
    });
    expect(caseMail.from).toBe('Support Desk <support@mamori.local>');
    expect(caseMail.text).toContain('Support Desk');
    expect(code.from).toBe(TEST_SENDER);
    expect(code.text).toContain('Security Advisory Center');
  });

  it('refuses at boot a map that names no message type', () => {
    expect(() => testRenderer({ MAIL_FROM_BY_TYPE: JSON.stringify({ 'case-updat': 'x <x@x>' }) })).toThrow(
      ConfigError,
    );
  });
});
