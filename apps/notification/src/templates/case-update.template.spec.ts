import { NotificationEnv } from '@app/config';
import { CASE_UPDATE_EVENTS, LANGUAGES } from '@app/contracts';
import { TemplateError } from './template.error';
import { TemplateRenderer } from './template-renderer';
import { describeTemplate, testRenderer } from './template-test.util';

describeTemplate(
  'case-update',
  {
    caseNumber: 'CS0001234',
    event: 'operator_reply',
    subject: 'VPN',
    status: 'Answered',
    excerpt: 'We are on it',
  },
  [{ caseNumber: 'CS12' }, { event: 'deleted' }],
);

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

  it('escapes what the customer wrote in the HTML part and links nothing of it', () => {
    const out = testRenderer().render({
      channel: 'email',
      template: 'case-update',
      language: 'en',
      params: {
        caseNumber: 'CS0001234',
        event: 'operator_reply',
        subject: '<img src="https://tracker.example/x.gif"> & "quotes"',
        status: 'Answered',
        excerpt: 'See <script>alert(1)</script> https://evil.example/login',
      },
    });
    expect(out.html).toContain(
      '&lt;img src=&quot;https://tracker.example/x.gif&quot;&gt; &amp; &quot;quotes&quot;',
    );
    expect(out.html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(out.html).not.toMatch(/<img|<script|<a /);
  });
});
