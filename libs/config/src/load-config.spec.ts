import { z } from 'zod';
import { authEnvSchema, notificationEnvSchema } from './env-schemas';
import { ConfigError, loadConfig } from './load-config';

describe(loadConfig.name, () => {
  const valid = {
    JWT_SECRET: 'j'.repeat(32),
    TOKEN_HMAC_SECRET: 't'.repeat(32),
    DATA_ENCRYPTION_KEY: 'd'.repeat(32),
  };

  it('applies defaults to a valid environment', () => {
    const config = loadConfig(authEnvSchema, valid);
    expect(config.CODE_TTL_EMAIL_SECONDS).toBe(300);
    expect(config.DATABASE_URL).toBe('postgres://postgres@127.0.0.1:5432/mamori');
  });

  it('names every problem at once, as NAME=value is invalid because …, with secrets masked', () => {
    const error = (() => {
      try {
        loadConfig(authEnvSchema, {
          JWT_SECRET: 'short-secret',
          HTTP_PORT: 'abc',
          PASSWORD_POLICY: 'weak',
          DATABASE_URL: 'mysql://x',
        });
      } catch (e) {
        return e;
      }
      throw new Error('expected a ConfigError');
    })() as ConfigError;
    expect(error).toBeInstanceOf(ConfigError);
    expect(error.problems).toEqual(
      expect.arrayContaining([
        'JWT_SECRET=<secret> is invalid because it must be at least 32 characters long',
        'TOKEN_HMAC_SECRET is required',
        'HTTP_PORT="abc" is invalid because it must be a number',
        'PASSWORD_POLICY="weak" is invalid because it must be one of portal, asvs',
        'DATABASE_URL=<secret> is invalid because it must be a URL starting with postgres:// or postgresql://',
      ]),
    );
    expect(error.message).not.toContain('short-secret');
  });

  it('masks the infrastructure URLs and any URL with credentials, whatever its name', () => {
    const problems = (() => {
      try {
        loadConfig(
          notificationEnvSchema.extend({
            OTHER_URL: z
              .string()
              .url()
              .refine(() => false, 'it is refused'),
          }),
          {
            DATABASE_URL: 'mysql://mamori:pg-pass-1@db:5432/mamori',
            REDIS_URL: 'http://:redis-pass-2@redis:6379',
            NATS_URL: 'http://user:nats-pass-3@nats:4222',
            SMS_WEBHOOK_URL: 'ftp://sms.example/send?key=sms-key-4',
            OTHER_URL: 'https://user:other-pass-5@example.com/x',
          },
        );
      } catch (e) {
        return (e as ConfigError).problems;
      }
      throw new Error('expected a ConfigError');
    })();
    expect(problems).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^DATABASE_URL=<secret> is invalid/),
        expect.stringMatching(/^REDIS_URL=<secret> is invalid/),
        expect.stringMatching(/^NATS_URL=<secret> is invalid/),
        expect.stringMatching(/^SMS_WEBHOOK_URL=<secret> is invalid/),
        'OTHER_URL=<secret> is invalid because it is refused',
      ]),
    );
    expect(problems.join('\n')).not.toMatch(/pg-pass-1|redis-pass-2|nats-pass-3|sms-key-4|other-pass-5/);
  });
});
