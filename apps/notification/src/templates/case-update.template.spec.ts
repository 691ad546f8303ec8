import { NotificationEnv } from '@app/config';
import { CASE_UPDATE_EVENTS, LANGUAGES } from '@app/contracts';
import { TemplateError } from './template.error';
import { TemplateRenderer } from './template-renderer';

describe('case-update template (CASE-6)', () => {
  const sut = new TemplateRenderer({
    MAIL_FROM: 'Security Advisory Center <noreply@mamori.local>',
  } as NotificationEnv);

  for (const language of LANGUAGES) {
    for (const event of CASE_UPDATE_EVENTS) {
      it(`names the case number in the subject and body of the ${language} ${event} mail`, () => {
        const out = sut.render({
          channel: 'email',
          template: 'case-update',
          language,
          params: { caseNumber: 'CS0001234', event, subject: 'VPN', status: 'New', excerpt: 'We are on it' },
        });
        expect(out.subject).toContain('CS0001234');
        expect(out.text).toContain('CS0001234');
        expect(out.text).toContain('VPN');
      });
    }
  }

  it('refuses a value that is not a case number', () => {
    expect(() =>
      sut.render({
        channel: 'email',
        template: 'case-update',
        language: 'en',
        params: { caseNumber: 'http://evil', event: 'created', subject: 's', status: 'New' },
      }),
    ).toThrow(TemplateError);
  });
});
