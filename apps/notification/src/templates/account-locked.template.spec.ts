import { describeTemplate, testRenderer } from './template-test.util';

describeTemplate('account-locked', { until: '2026-12-03T06:20:00Z' }, [{ until: 42 }]);

describe('account-locked template', () => {
  it('tells when the ID unlocks, in Japan time', () => {
    const sut = testRenderer();
    const ja = sut.render({
      channel: 'email',
      template: 'account-locked',
      language: 'ja',
      params: { until: '2026-12-03T06:20:00Z' },
    });
    const en = sut.render({
      channel: 'sms',
      template: 'account-locked',
      language: 'en',
      params: { until: '2026-12-03T06:20:00Z' },
    });
    expect(ja.text).toContain('2026年12月3日 15:20（日本時間）');
    expect(en.text).toContain('3 December 2026 at 15:20');
  });
});
