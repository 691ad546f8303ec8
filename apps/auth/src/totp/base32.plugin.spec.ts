import { Base32Plugin4648 } from './base32.plugin';

describe(Base32Plugin4648.name, () => {
  const sut = new Base32Plugin4648();
  // RFC 4648 §10 test vectors.
  const vectors: [string, string][] = [
    ['', ''],
    ['f', 'MY======'],
    ['fo', 'MZXQ===='],
    ['foo', 'MZXW6==='],
    ['foob', 'MZXW6YQ='],
    ['fooba', 'MZXW6YTB'],
    ['foobar', 'MZXW6YTBOI======'],
  ];

  it.each(vectors)('encodes %j as %s (RFC 4648) and back', (plain, encoded) => {
    const bytes = new Uint8Array(Buffer.from(plain, 'latin1'));
    expect(sut.encode(bytes, { padding: true })).toBe(encoded);
    expect(sut.encode(bytes)).toBe(encoded.replace(/=/g, ''));
    expect(Buffer.from(sut.decode(encoded)).toString('latin1')).toBe(plain);
  });

  it('reads secrets as people type them: lower case, spaces, no padding', () => {
    expect(Buffer.from(sut.decode('mzxw 6ytb oi')).toString('latin1')).toBe('foobar');
  });

  it('round-trips random bytes', () => {
    for (let length = 0; length < 40; length++) {
      const bytes = new Uint8Array(Array.from({ length }, (_, i) => (i * 97 + length * 31) & 255));
      expect(Buffer.from(sut.decode(sut.encode(bytes))).equals(Buffer.from(bytes))).toBe(true);
    }
  });

  it('refuses characters outside the alphabet', () => {
    expect(() => sut.decode('MZXW1')).toThrow('invalid character');
  });
});
