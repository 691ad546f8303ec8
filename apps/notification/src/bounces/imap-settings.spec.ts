import { NotificationEnv, notificationEnvSchema } from '@app/config';
import { imapSettings } from './imap-settings';

const base = notificationEnvSchema.parse({});

function settings(env: Partial<NotificationEnv>) {
  return imapSettings({ ...base, ...env });
}

describe('bounce mailbox settings', () => {
  it('none configured: no mailbox is read', () => {
    expect(settings({})).toBeNull();
  });

  it('imaps:// URL: TLS from the start, port 993, the path names the folder', () => {
    expect(
      settings({ BOUNCE_IMAP_URL: 'imaps://bounce%40mamori.example:p%40ss@mail.example:993/Bounces' }),
    ).toEqual({
      host: 'mail.example',
      port: 993,
      secure: true,
      requireStartTls: false,
      user: 'bounce@mamori.example',
      password: 'p@ss',
      mailbox: 'Bounces',
    });
  });

  it('imap:// to another host requires STARTTLS; to the loopback it may stay plain', () => {
    expect(settings({ BOUNCE_IMAP_URL: 'imap://u:p@mail.example' })).toMatchObject({
      port: 143,
      secure: false,
      requireStartTls: true,
      mailbox: 'INBOX',
    });
    expect(settings({ BOUNCE_IMAP_URL: 'imap://u:p@127.0.0.1:1143/' })).toMatchObject({
      port: 1143,
      requireStartTls: false,
    });
  });

  it('host and separate settings, and a clear error without credentials', () => {
    expect(
      settings({
        BOUNCE_IMAP_HOST: 'mail.example',
        BOUNCE_IMAP_USER: 'u',
        BOUNCE_IMAP_PASSWORD: 'p',
        BOUNCE_IMAP_TLS: 'false',
      }),
    ).toMatchObject({ host: 'mail.example', port: 143, secure: false, requireStartTls: true });
    expect(() => settings({ BOUNCE_IMAP_HOST: 'mail.example' })).toThrow(/BOUNCE_IMAP_USER/);
    expect(() => settings({ BOUNCE_IMAP_URL: 'imaps://mail.example' })).toThrow(/user and password/);
  });
});
