import { CheckpointSigner, checkpointSignatureValid, publicKeyFromRaw } from './checkpoint-signer';

describe(CheckpointSigner.name, () => {
  const checkpoint = { count: 42, headSeq: 42, headHash: 'ab'.repeat(32), time: '2026-01-01T00:00:00.000Z' };

  it('signs so that the served public key verifies, and the same secret gives the same key', () => {
    const signer = new CheckpointSigner('s'.repeat(48));
    const signed = signer.sign(checkpoint);
    const served = publicKeyFromRaw(signer.view().publicKey);
    expect(checkpointSignatureValid(signed, served)).toBe(true);
    expect(new CheckpointSigner('s'.repeat(48)).keyId).toBe(signer.keyId);
    expect(signer.view()).toMatchObject({ algorithm: 'Ed25519', jwk: { kty: 'OKP', crv: 'Ed25519' } });
  });

  it.each([
    ['count', { count: 43 }],
    ['head hash', { headHash: 'cd'.repeat(32) }],
    ['time', { time: '2026-01-01T00:00:01.000Z' }],
  ])('rejects a checkpoint whose %s was changed', (_what, change) => {
    const signer = new CheckpointSigner('s'.repeat(48));
    const signed = { ...signer.sign(checkpoint), ...change };
    expect(checkpointSignatureValid(signed, signer.publicKey)).toBe(false);
  });

  it('rejects a checkpoint signed by another key', () => {
    const signed = new CheckpointSigner('a'.repeat(48)).sign(checkpoint);
    expect(checkpointSignatureValid(signed, new CheckpointSigner('b'.repeat(48)).publicKey)).toBe(false);
  });
});
