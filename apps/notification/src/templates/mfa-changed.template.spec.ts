import { LANGUAGES, MFA_CHANGES } from '@app/contracts';
import { describeTemplate, testRenderer } from './template-test.util';

describeTemplate('mfa-changed', { change: 'passkey_removed' }, [{ change: 'everything' }]);

describe('mfa-changed template', () => {
  it.each(MFA_CHANGES)('names the change %s in both languages', (change) => {
    for (const language of LANGUAGES) {
      const out = testRenderer().render({
        channel: 'email',
        template: 'mfa-changed',
        language,
        params: { change },
      });
      expect(out.text).not.toContain(change);
      expect(out.text.length).toBeGreaterThan(40);
    }
  });
});
