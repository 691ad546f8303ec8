import { NotificationEnv } from '@app/config';
import { LANGUAGES } from '@app/contracts';
import { TemplateError } from './template.error';
import { TemplateRenderer } from './template-renderer';

describe('work request templates (CASE-7)', () => {
  const sut = new TemplateRenderer({
    MAIL_FROM: 'Security Advisory Center <noreply@mamori.local>',
  } as NotificationEnv);
  const about = { itemCode: 'WR-001', itemName: 'URL block', submittedAt: '2026-06-01T00:30:00.000Z' };

  for (const language of LANGUAGES) {
    it(`echoes every field of a ${language} "received" mail, a multi-line value indented`, () => {
      const out = sut.render({
        channel: 'email',
        template: 'work-request-received',
        language,
        params: {
          ...about,
          fields: [
            { label: 'Target', value: 'https://x.example/' },
            { label: 'Notes', value: 'one\ntwo' },
            { label: 'When', value: '' },
          ],
        },
      });
      expect(out.subject).toContain('WR-001');
      expect(out.text).toContain('WR-001 URL block');
      expect(out.text).toContain('Target:\n  https://x.example/');
      expect(out.text).toContain('Notes:\n  one\n  two');
      expect(out.text).toContain(language === 'ja' ? 'When:\n  （未入力）' : 'When:\n  (not given)');
      expect(out.text).toContain('Security Advisory Center');
    });

    it(`names the case in a ${language} "accepted" mail and the reason in a "rejected" one`, () => {
      const accepted = sut.render({
        channel: 'email',
        template: 'work-request-accepted',
        language,
        params: { ...about, caseNumber: 'CS0000042' },
      });
      expect(accepted.subject).toContain('CS0000042');
      expect(accepted.text).toContain('CS0000042');
      const rejected = sut.render({
        channel: 'email',
        template: 'work-request-rejected',
        language,
        params: { ...about, reason: 'Out of scope' },
      });
      expect(rejected.text).toContain('Out of scope');
    });
  }

  it('refuses an accepted mail whose case number is not one', () => {
    expect(() =>
      sut.render({
        channel: 'email',
        template: 'work-request-accepted',
        language: 'en',
        params: { ...about, caseNumber: 'http://evil' },
      }),
    ).toThrow(TemplateError);
  });
});
