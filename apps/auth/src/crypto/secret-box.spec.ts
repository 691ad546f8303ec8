import { SecretBox } from './secret-box';

describe(SecretBox.name, () => {
  const sut = new SecretBox({ DATA_ENCRYPTION_KEY: 'k'.repeat(32) });
  const secret = 'JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP';

  it('opens what it sealed', () => {
    expect(sut.open(sut.seal(secret, 'user-1'), 'user-1')).toBe(secret);
    expect(sut.open(sut.seal(''))).toBe('');
  });

  it('writes v1.<iv>.<tag>.<ciphertext> in base64url, with a fresh IV each time and no plaintext', () => {
    const a = sut.seal(secret);
    const b = sut.seal(secret);
    expect(a).toMatch(/^v1\.[A-Za-z0-9_-]{16}\.[A-Za-z0-9_-]{22}\.[A-Za-z0-9_-]+$/);
    expect(a).not.toBe(b);
    expect(a.split('.')[1]).not.toBe(b.split('.')[1]);
    expect(a).not.toContain(secret);
  });

  it('refuses a tampered ciphertext, tag or IV', () => {
    const sealed = sut.seal(secret);
    const [version, iv, tag, ciphertext] = sealed.split('.');
    const flip = (part: string): string => {
      const bytes = Buffer.from(part, 'base64url');
      bytes[0] ^= 0x01;
      return bytes.toString('base64url');
    };
    expect(() => sut.open([version, iv, tag, flip(ciphertext)].join('.'))).toThrow();
    expect(() => sut.open([version, iv, flip(tag), ciphertext].join('.'))).toThrow();
    expect(() => sut.open([version, flip(iv), tag, ciphertext].join('.'))).toThrow();
  });

  it('refuses what another key sealed', () => {
    const other = new SecretBox({ DATA_ENCRYPTION_KEY: 'o'.repeat(32) });
    expect(() => sut.open(other.seal(secret))).toThrow();
  });

  it('refuses a value sealed for another context (a secret copied onto another user)', () => {
    expect(() => sut.open(sut.seal(secret, 'user-1'), 'user-2')).toThrow();
  });

  it('refuses unknown versions and malformed values', () => {
    const [, iv, tag, ciphertext] = sut.seal(secret).split('.');
    expect(() => sut.open(['v2', iv, tag, ciphertext].join('.'))).toThrow('unknown format');
    expect(() => sut.open('v1.abc')).toThrow('unknown format');
    expect(() => sut.open(secret)).toThrow('unknown format');
  });
});
