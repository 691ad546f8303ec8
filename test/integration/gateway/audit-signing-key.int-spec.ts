import { randomBytes } from 'node:crypto';
import { CheckpointSigner, checkpointSignatureValid, publicKeyFromRaw } from '@app/audit-chain';
import { call } from '@app/testing';
import { RunningGateway, StandInServices, startGateway } from './gateway-harness';

/** GET /api/v1/audit/signing-key: the public key consumers verify the audit checkpoints with. */
describe('GET /audit/signing-key', () => {
  const signer = new CheckpointSigner(randomBytes(48).toString('base64url'));
  const services = new StandInServices().on('audit-trail.signing_key', () => signer.view());
  let gw: RunningGateway;

  beforeAll(async () => {
    gw = await startGateway({}, services);
  });

  afterAll(async () => {
    await gw?.close();
  });

  it('answers without a token with a key that verifies what the service signs', async () => {
    const answer = await call(gw.url, 'GET', '/api/v1/audit/signing-key');
    expect(answer.status).toBe(200);
    expect(answer.body).toEqual({
      algorithm: 'Ed25519',
      keyId: signer.keyId,
      publicKey: expect.stringMatching(/^[A-Za-z0-9_-]{43}$/),
      jwk: { kty: 'OKP', crv: 'Ed25519', x: answer.body.publicKey, kid: signer.keyId, use: 'sig' },
    });
    const checkpoint = signer.sign({
      count: 3,
      headSeq: 3,
      headHash: 'ab'.repeat(32),
      time: new Date().toISOString(),
    });
    expect(checkpointSignatureValid(checkpoint, publicKeyFromRaw(answer.body.publicKey))).toBe(true);
  });
});
