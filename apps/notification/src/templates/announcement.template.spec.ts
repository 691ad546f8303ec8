import { NotificationEnv } from '@app/config';
import { LANGUAGES } from '@app/contracts';
import { TemplateError } from './template.error';
import { TemplateRenderer } from './template-renderer';

describe('announcement template (CASE-11)', () => {
  const sut = new TemplateRenderer({
    MAIL_FROM: 'Security Advisory Center <noreply@mamori.local>',
  } as NotificationEnv);
  const params = {
    title: 'Scheduled maintenance',
    excerpt: 'The portal is unavailable for an hour.',
    article: 'KB0000042',
    from: '2026-05-01T00:00:00Z',
    to: '2026-05-13T00:00:00Z',
  };

  for (const language of LANGUAGES) {
    it(`tells the title, the text, the window and the article in ${language}`, () => {
      const out = sut.render({ channel: 'email', template: 'announcement', language, params });
      expect(out.subject).toContain('Scheduled maintenance');
      expect(out.subject).toContain(language === 'ja' ? 'お知らせ' : 'Announcement');
      expect(out.text).toContain('The portal is unavailable for an hour.');
      expect(out.text).toContain('KB0000042');
      expect(out.text).toContain(language === 'ja' ? '2026年5月1日' : '1 May 2026');
      expect(out.text).toContain('Security Advisory Center');
    });
  }

  it('refuses a value that is not an article number, and a title that is not one of ours', () => {
    for (const bad of [{ article: 'http://evil' }, { title: '' }, { title: 'x'.repeat(201) }]) {
      expect(() =>
        sut.render({
          channel: 'email',
          template: 'announcement',
          language: 'en',
          params: { ...params, ...bad },
        }),
      ).toThrow(TemplateError);
    }
  });
});
