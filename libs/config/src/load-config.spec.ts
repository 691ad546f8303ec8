import { generateKeyPairSync } from 'node:crypto';
import { z } from 'zod';
import { authEnvSchema, notificationEnvSchema } from './env-schemas';
import { ConfigError, loadConfig } from './load-config';

describe(loadConfig.name, () => {
  const valid = {
    ACCESS_TOKEN_SIGNING_KEYS: JSON.stringify([
      {
        ...generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey.export({ format: 'jwk' }),
        kid: 'k1',
      },
    ]),
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
          TOKEN_HMAC_SECRET: 'short-secret',
          ACCESS_TOKEN_SIGNING_KEYS: '{"keys":[{"kty":"oct","k":"c2VjcmV0"}]}',
          NATS_URL: 'http://gateway:hunter2@nats:4222',
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
        'TOKEN_HMAC_SECRET=<secret> is invalid because it must be at least 32 characters long',
        'ACCESS_TOKEN_SIGNING_KEYS=<secret> is invalid because key 1 must be an EC P-256 JWK (ES256)',
        'NATS_URL=<secret> is invalid because it must be a URL starting with nats:// or tls://',
        'DATA_ENCRYPTION_KEY is required',
        'HTTP_PORT="abc" is invalid because it must be a number',
        'PASSWORD_POLICY="weak" is invalid because it must be one of portal, asvs',
        'DATABASE_URL=<secret> is invalid because it must be a URL starting with postgres:// or postgresql://',
      ]),
    );
    expect(error.message).not.toContain('short-secret');
    expect(error.message).not.toContain('hunter2');
    expect(error.message).not.toContain('c2VjcmV0');
  });
});

describe('ACCESS_TOKEN_SIGNING_KEYS', () => {
  const key = (kid: string): Record<string, unknown> => ({
    ...generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey.export({ format: 'jwk' }),
    kid,
  });
  const problemOf = (value: string): string | undefined => {
    try {
      loadConfig(authEnvSchema, {
        ACCESS_TOKEN_SIGNING_KEYS: value,
        TOKEN_HMAC_SECRET: 't'.repeat(32),
        DATA_ENCRYPTION_KEY: 'd'.repeat(32),
      });
      return undefined;
    } catch (error) {
      return (error as ConfigError).problems.join('; ');
    }
  };

  it('accepts two keys during a rotation, as an array or a JWK Set', () => {
    expect(problemOf(JSON.stringify([key('new'), key('old')]))).toBeUndefined();
    expect(problemOf(JSON.stringify({ keys: [key('only')] }))).toBeUndefined();
  });

  it.each([
    ['not JSON', 'not json', 'it must be JSON'],
    ['no key', '[]', 'at least one'],
    ['a key without kid', JSON.stringify([{ ...key('x'), kid: undefined }]), 'needs a kid'],
    ['a public key only', JSON.stringify([{ ...key('p'), d: undefined }]), 'must be a private key'],
    ['two keys with one kid', JSON.stringify([key('same'), key('same')]), 'a kid of its own'],
    ['an RSA key', JSON.stringify([{ kty: 'RSA', kid: 'r' }]), 'EC P-256'],
  ])('refuses %s at boot', (_name, value, reason) => {
    expect(problemOf(value)).toContain(reason);
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
            // The audit service's runtime role (apps/audit): masked by its name, even with the
            // password in the query rather than the user info.
            AUDIT_DATABASE_URL: z.string().refine(() => false, 'it is refused'),
          }),
          {
            DATABASE_URL: 'mysql://mamori:pg-pass-1@db:5432/mamori',
            REDIS_URL: 'http://:redis-pass-2@redis:6379',
            NATS_URL: 'http://user:nats-pass-3@nats:4222',
            SMS_WEBHOOK_URL: 'ftp://sms.example/send?key=sms-key-4',
            OTHER_URL: 'https://user:other-pass-5@example.com/x',
            AUDIT_DATABASE_URL: 'postgres://db/mamori?user=mamori_audit&password=audit-pass-6',
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
        'AUDIT_DATABASE_URL=<secret> is invalid because it is refused',
      ]),
    );
    expect(problems.join('\n')).not.toMatch(
      /pg-pass-1|redis-pass-2|nats-pass-3|sms-key-4|other-pass-5|audit-pass-6/,
    );
  });
});
