import { createHmac } from 'node:crypto';
import { generate } from '@otplib/totp';
import { TotpCodes } from './totp-codes';

/** RFC 6238 appendix B's SHA-1 seed, in Base32 ("12345678901234567890"). */
const RFC_SECRET = 'GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ';

describe(TotpCodes.name, () => {
  const sut = new TotpCodes();

  it('checks codes as RFC 6238 computes them (SHA-1, 6 digits, 30 s)', async () => {
    // Appendix B: at T = 59 s the 8-digit code is 94287082, so the 6-digit code is 287082.
    const at59 = new Date(59_000);
    expect(await sut.stepOf(RFC_SECRET, '287082', at59)).toBe(1);
    // Independently: HOTP of step 1 with node's HMAC-SHA1.
    expect(hotp(Buffer.from('12345678901234567890'), 1)).toBe('287082');
    // 2005-03-18T01:58:29Z → 081804 (appendix B, 07081804).
    expect(await sut.stepOf(RFC_SECRET, '081804', new Date(1111111109_000))).toBe(37037036);
  });

  it('accepts the step before and after, and refuses two steps away', async () => {
    const secret = sut.newSecret();
    const now = new Date('2026-03-01T10:00:15Z');
    const step = Math.floor(now.getTime() / 30_000);
    const codeAt = (s: number): Promise<string> => generate({ ...TotpCodes.plugins, secret, epoch: s * 30 });
    expect(await sut.stepOf(secret, await codeAt(step), now)).toBe(step);
    expect(await sut.stepOf(secret, await codeAt(step - 1), now)).toBe(step - 1);
    expect(await sut.stepOf(secret, await codeAt(step + 1), now)).toBe(step + 1);
    const twoBefore = await codeAt(step - 2);
    const twoAfter = await codeAt(step + 2);
    // (A code two steps away could collide with one within the window: one chance in 10^6 each.)
    expect(await sut.stepOf(secret, twoBefore, now)).toBeNull();
    expect(await sut.stepOf(secret, twoAfter, now)).toBeNull();
  });

  it('reads spaces and full-width digits as the code, and refuses anything else without throwing', async () => {
    const at59 = new Date(59_000);
    expect(await sut.stepOf(RFC_SECRET, '287 082', at59)).toBe(1);
    expect(await sut.stepOf(RFC_SECRET, '２８７０８２', at59)).toBe(1);
    expect(await sut.stepOf(RFC_SECRET, '28708', at59)).toBeNull();
    expect(await sut.stepOf(RFC_SECRET, 'abcdef', at59)).toBeNull();
    expect(await sut.stepOf(RFC_SECRET, '', at59)).toBeNull();
  });

  it('makes 160-bit Base32 secrets and the otpauth URI of the brief', () => {
    const secret = sut.newSecret();
    expect(secret).toMatch(/^[A-Z2-7]{32}$/);
    expect(sut.newSecret()).not.toBe(secret);
    expect(sut.uri('a.user@example.com', secret)).toBe(
      `otpauth://totp/Mamori:a.user%40example.com?secret=${secret}&issuer=Mamori`,
    );
  });

  it('draws the URI as a PNG data URL', async () => {
    const png = await sut.qrCode(sut.uri('u', sut.newSecret()));
    expect(png).toMatch(/^data:image\/png;base64,/);
    const bytes = Buffer.from(png.slice('data:image/png;base64,'.length), 'base64');
    expect(bytes.subarray(1, 4).toString('latin1')).toBe('PNG');
  });
});

function hotp(key: Buffer, counter: number): string {
  const message = Buffer.alloc(8);
  message.writeBigUInt64BE(BigInt(counter));
  const mac = createHmac('sha1', key).update(message).digest();
  const offset = mac[mac.length - 1] & 0x0f;
  const value = (mac.readUInt32BE(offset) & 0x7fffffff) % 1_000_000;
  return value.toString().padStart(6, '0');
}
