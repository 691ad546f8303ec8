import { generateKeyPairSync } from 'node:crypto';
import { ConfigError, NotificationEnv } from '@app/config';
import { dkimSettings } from './providers.module';

describe('DKIM settings (DKIM_DOMAIN, DKIM_SELECTOR, DKIM_PRIVATE_KEY)', () => {
  const pem = generateKeyPairSync('rsa', { modulusLength: 1024 })
    .privateKey.export({ type: 'pkcs8', format: 'pem' })
    .toString();
  const env = (over: Partial<NotificationEnv>) => over as NotificationEnv;

  it('signs nothing when none is set', () => {
    expect(dkimSettings(env({}))).toBeUndefined();
  });

  it('hands nodemailer the domain, selector and key, with `\\n` read as line breaks', () => {
    const settings = dkimSettings(
      env({ DKIM_DOMAIN: 'example.jp', DKIM_SELECTOR: 's1', DKIM_PRIVATE_KEY: pem.replace(/\n/g, '\\n') }),
    );
    expect(settings).toEqual({ domainName: 'example.jp', keySelector: 's1', privateKey: pem });
  });

  it('refuses at boot a partial setting or a key that is no PEM key, without printing the key', () => {
    expect(() => dkimSettings(env({ DKIM_DOMAIN: 'example.jp' }))).toThrow(ConfigError);
    let error: unknown;
    try {
      dkimSettings(
        env({ DKIM_DOMAIN: 'example.jp', DKIM_SELECTOR: 's1', DKIM_PRIVATE_KEY: 'not-a-key-secret' }),
      );
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    expect(String((error as Error).message)).not.toContain('not-a-key-secret');
  });
});
