import { describeTemplate, testRenderer } from './template-test.util';

describeTemplate(
  'password-reset-link',
  { link: `https://portal.example/password-reset/${'a'.repeat(43)}`, expiresAt: '2026-12-03T06:00:00Z' },
  [
    { link: `https://evil.example/password-reset/${'a'.repeat(43)}` },
    { link: 'https://portal.example/password-reset/short' },
    { expiresAt: 'tomorrow' },
  ],
);

describe('password-reset-link template', () => {
  const link = `https://portal.example/password-reset/${'b'.repeat(43)}`;

  it('makes the reset link the one clickable link of the HTML part', () => {
    const out = testRenderer().render({
      channel: 'email',
      template: 'password-reset-link',
      language: 'ja',
      params: { link, expiresAt: '2026-12-03T06:00:00Z' },
    });
    expect(out.html).toContain(`<a href="${link}">${link}</a>`);
    expect(out.html?.match(/<a /g)).toHaveLength(1);
    expect(out.text).toContain(link);
  });
});
