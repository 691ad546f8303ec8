import { Writable } from 'node:stream';
import pino from 'pino';
import { REDACTED_PATHS } from './logger';

function capture(): { logger: pino.Logger; lines: () => string } {
  const chunks: string[] = [];
  const stream = new Writable({
    write(chunk, _encoding, done) {
      chunks.push(String(chunk));
      done();
    },
  });
  return {
    logger: pino({ redact: { paths: REDACTED_PATHS, censor: '[redacted]' } }, stream),
    lines: () => chunks.join(''),
  };
}

describe('log redaction', () => {
  it('hides secrets and personal data at the top level and one level down', () => {
    const { logger, lines } = capture();
    logger.info({
      password: 'hunter2-top',
      code: '123456',
      email: 'a@example.com',
      req: { refreshToken: 'r-token', phone: '+819012345678' },
    });
    const out = lines();
    for (const secret of ['hunter2-top', '123456', 'a@example.com', 'r-token', '+819012345678']) {
      expect(out).not.toContain(secret);
    }
    expect(out).toContain('[redacted]');
  });

  it('hides a recipient and body nested in an object', () => {
    const { logger, lines } = capture();
    logger.info({ job: { to: ['a@example.com'], body: 'code 654321' } });
    expect(lines()).not.toMatch(/a@example\.com|654321/);
  });
});
