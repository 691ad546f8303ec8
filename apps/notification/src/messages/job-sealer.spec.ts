import { NotificationJobData } from '@app/contracts';
import { JobSealer } from './job-sealer';

describe(JobSealer.name, () => {
  const data = {
    messageId: 'm-1',
    channel: 'sms',
    template: 'security-code',
    language: 'ja',
    to: ['+819012345678'],
    params: { code: '123456', expiresInMinutes: 10 },
    correlationId: 'req-1',
  } as NotificationJobData;
  const sut = new JobSealer({ RECIPIENT_HASH_SECRET: 's'.repeat(32) });

  it('seals the job so that neither the code nor the number shows, and opens it again', () => {
    const sealed = sut.seal(data)!;
    expect(sealed).not.toMatch(/123456|819012345678/);
    expect(sut.open(sealed, 'm-1')).toEqual(data);
  });

  it('does not open a copy moved to another message, altered, or sealed with another secret', () => {
    const sealed = sut.seal(data)!;
    expect(sut.open(sealed, 'm-2')).toBeNull();
    const [v, iv, tag, body] = sealed.split('.');
    const flipped = Buffer.from(body, 'base64url');
    flipped[0] ^= 1;
    expect(sut.open([v, iv, tag, flipped.toString('base64url')].join('.'), 'm-1')).toBeNull();
    expect(new JobSealer({ RECIPIENT_HASH_SECRET: 't'.repeat(32) }).open(sealed, 'm-1')).toBeNull();
    expect(sut.open('garbage', 'm-1')).toBeNull();
  });

  it('keeps no copy without a secret', () => {
    expect(new JobSealer({}).seal(data)).toBeNull();
  });
});
