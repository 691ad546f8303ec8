import { ConfigError, NotificationEnv } from '@app/config';
import { twilioCallbackUrl, twilioSettings } from './twilio-settings';

describe('twilioSettings', () => {
  const base = {
    SMS_PROVIDER: 'twilio',
    TWILIO_ACCOUNT_SID: `AC${'0'.repeat(32)}`,
    TWILIO_AUTH_TOKEN: 't'.repeat(32),
    TWILIO_FROM: '+15005550006',
    TWILIO_BASE_URL: 'https://api.twilio.com',
    PUBLIC_URL: 'https://portal.example/',
  } as NotificationEnv;

  it('derives the callback URL from PUBLIC_URL unless set', () => {
    const settings = twilioSettings(base);
    expect(settings.statusCallbackUrl).toBe('https://portal.example/api/v1/integrations/sms-status/twilio');
    expect(twilioCallbackUrl(settings, 'a b')).toBe(`${settings.statusCallbackUrl}?messageId=a%20b`);
    expect(
      twilioSettings({ ...base, TWILIO_STATUS_CALLBACK_URL: 'https://edge.example/cb' }).statusCallbackUrl,
    ).toBe('https://edge.example/cb');
  });

  it('names every missing or unsafe setting, never the token', () => {
    let error: unknown;
    try {
      twilioSettings({
        ...base,
        TWILIO_AUTH_TOKEN: undefined,
        TWILIO_FROM: undefined,
        TWILIO_BASE_URL: 'http://api.example',
      });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const text = String((error as Error).message);
    expect(text).toMatch(/TWILIO_AUTH_TOKEN/);
    expect(text).toMatch(/TWILIO_FROM/);
    expect(text).toMatch(/TWILIO_BASE_URL/);
    expect(() => twilioSettings({ ...base, TWILIO_BASE_URL: 'http://127.0.0.1:4010' })).not.toThrow();
  });
});
