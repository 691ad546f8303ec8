import { createHmac } from 'node:crypto';
import { decoyCredentials } from './passkey-decoy.util';

const seed = (userIdKey: string): string => createHmac('sha256', 'secret').update(userIdKey).digest('hex');

describe(decoyCredentials.name, () => {
  it('is one passkey descriptor in the shape of a real one', () => {
    const [decoy, ...rest] = decoyCredentials(seed('nobody@example.test'));
    expect(rest).toEqual([]);
    expect(decoy).toEqual({
      id: expect.stringMatching(/^[A-Za-z0-9_-]+$/),
      type: 'public-key',
      transports: ['hybrid', 'internal'],
    });
    expect([16, 20, 32, 64]).toContain(Buffer.from(decoy.id, 'base64url').length);
  });

  it('is the same every time for one ID, so asking twice tells nothing', () => {
    expect(decoyCredentials(seed('nobody@example.test'))).toEqual(
      decoyCredentials(seed('nobody@example.test')),
    );
  });

  it('differs from ID to ID', () => {
    const ids = new Set(Array.from({ length: 50 }, (_, i) => decoyCredentials(seed(`user-${i}`))[0].id));
    expect(ids.size).toBe(50);
  });
});
