import { natsConnectionOptions } from './nats-options';

describe(natsConnectionOptions.name, () => {
  it('takes the user and password out of NATS_URL, so they never travel with the address', () => {
    const options = natsConnectionOptions({ NATS_URL: 'nats://auth:s%40cret@nats:4222' });
    expect(options).toMatchObject({
      servers: ['nats://nats:4222'],
      user: 'auth',
      pass: 's@cret',
      inboxPrefix: '_INBOX.auth',
    });
  });

  it('takes NATS_USER and NATS_PASSWORD when the URL has none', () => {
    const options = natsConnectionOptions({
      NATS_URL: 'nats://127.0.0.1:4222',
      NATS_USER: 'gateway',
      NATS_PASSWORD: 'pw',
    });
    expect(options).toMatchObject({ user: 'gateway', pass: 'pw', inboxPrefix: '_INBOX.gateway' });
  });

  it('connects anonymously, with the default inbox, when nothing names a user', () => {
    const options = natsConnectionOptions({ NATS_URL: 'nats://127.0.0.1:4222' });
    expect(options.user).toBeUndefined();
    expect(options.inboxPrefix).toBeUndefined();
    expect(options.tls).toBeUndefined();
  });

  it('turns TLS on for tls:// and for a CA file', () => {
    expect(natsConnectionOptions({ NATS_URL: 'tls://nats:4222' }).tls).toEqual({});
    expect(natsConnectionOptions({ NATS_URL: 'nats://nats:4222', NATS_TLS_CA: '/ca.pem' }).tls).toEqual({
      caFile: '/ca.pem',
    });
  });
});
