import { NotificationEnv } from '@app/config';
import { LANGUAGES, TemplateName, TemplateParams } from '@app/contracts';
import { TemplateError } from './template.error';
import { TemplateRenderer } from './template-renderer';

export const TEST_SENDER = 'Security Advisory Center <noreply@mamori.local>';
export const TEST_PORTAL = 'https://portal.example';

/** A renderer as the service builds it, with MAIL_FROM, PUBLIC_URL and MAIL_FROM_BY_TYPE. */
export function testRenderer(config: Partial<NotificationEnv> = {}): TemplateRenderer {
  return new TemplateRenderer({
    MAIL_FROM: TEST_SENDER,
    PUBLIC_URL: TEST_PORTAL,
    ...config,
  } as NotificationEnv);
}

/** Japanese script: hiragana, katakana, kanji, full-width punctuation. */
const JAPANESE = /[\u3000-\u30ff\u4e00-\u9fff\uff00-\uffef]/;
/** Anything in HTML that would load a resource or run something. */
const REMOTE_OR_ACTIVE = /<(img|script|link|iframe|object|embed|style|form)\b|\bsrc=|url\(|@import|\son\w+=/i;

/**
 * What every template must do (NOTIF-3), in each language: an e-mail with a one-line subject, a
 * plain text signed by the sender and its HTML twin (escaped, nothing remote), a short SMS, in the
 * recipient's language. `invalid`: parameters a job might carry that must be refused, not sent.
 */
export function describeTemplate<T extends TemplateName>(
  template: T,
  sample: TemplateParams[T],
  invalid: Array<Partial<Record<keyof TemplateParams[T], unknown>>> = [],
): void {
  const sut = testRenderer();

  describe(`${template} template (common rules)`, () => {
    for (const language of LANGUAGES) {
      it(`renders the ${language} e-mail as text and escaped HTML, signed by the sender`, () => {
        const out = sut.render({ channel: 'email', template, language, params: sample });
        expect(out.subject?.length).toBeGreaterThan(0);
        expect(out.subject).not.toMatch(/[\r\n]/);
        expect(out.text).toContain('Security Advisory Center');
        expect(out.from).toBe(TEST_SENDER);
        expect(out.html).toContain(`<html lang="${language}">`);
        expect(out.html).not.toMatch(REMOTE_OR_ACTIVE);
        // Every paragraph of the text is in the HTML part.
        const firstLine = out.text.split('\n')[0];
        expect(out.html).toContain(escape(firstLine));
        expect(JAPANESE.test(`${out.subject}${out.text}`)).toBe(language === 'ja');
      });

      it(`renders the ${language} SMS as one short text`, () => {
        const out = sut.render({ channel: 'sms', template, language, params: sample });
        expect(out.subject).toBeUndefined();
        expect(out.html).toBeUndefined();
        expect(out.text.length).toBeGreaterThan(0);
        // About two concatenated SMS segments at most (70 UCS-2 characters each for Japanese), besides
        // a link, which is as long as it has to be.
        expect(out.text.replace(/https?:\/\/\S+/g, '').length).toBeLessThanOrEqual(
          language === 'ja' ? 140 : 320,
        );
        expect(JAPANESE.test(out.text)).toBe(language === 'ja');
      });
    }

    for (const bad of invalid) {
      it(`refuses parameters ${JSON.stringify(bad)}`, () => {
        expect(() =>
          sut.render({
            channel: 'email',
            template,
            language: 'en',
            params: { ...sample, ...bad } as TemplateParams[T],
          }),
        ).toThrow(TemplateError);
      });
    }
  });
}

function escape(text: string): string {
  return text
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;');
}
