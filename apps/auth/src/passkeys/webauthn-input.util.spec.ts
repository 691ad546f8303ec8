import {
  authenticatorTransports,
  claimedChallenge,
  encodedUserHandleFor,
  passkeyFailureReason,
  userHandleFor,
} from './webauthn-input.util';

const clientData = (value: unknown): string => Buffer.from(JSON.stringify(value)).toString('base64url');

describe('webauthn input', () => {
  describe(authenticatorTransports.name, () => {
    it('keeps known transports once each and drops everything else', () => {
      expect(authenticatorTransports(['internal', 'hybrid', 'internal', 'carrier-pigeon', 7, null])).toEqual([
        'internal',
        'hybrid',
      ]);
    });

    it('gives none for a value that is not a list', () => {
      expect(authenticatorTransports(undefined)).toEqual([]);
      expect(authenticatorTransports('usb')).toEqual([]);
    });
  });

  describe(userHandleFor.name, () => {
    it('is the 16 bytes of the uuid, and its base64url is what browsers send back', () => {
      const id = '0f8fad5b-d9cb-469f-a165-70867728950e';
      const handle = userHandleFor(id);
      expect(Buffer.from(handle).toString('hex')).toBe('0f8fad5bd9cb469fa16570867728950e');
      expect(encodedUserHandleFor(id)).toBe(Buffer.from(handle).toString('base64url'));
    });
  });

  describe(claimedChallenge.name, () => {
    it('reads the challenge from clientDataJSON', () => {
      expect(
        claimedChallenge({ clientDataJSON: clientData({ type: 'webauthn.create', challenge: 'abc' }) }),
      ).toBe('abc');
    });

    it('is null for anything not shaped like an answer', () => {
      for (const response of [
        null,
        {},
        { clientDataJSON: 42 },
        { clientDataJSON: 'bm90IGpzb24' },
        { clientDataJSON: clientData(null) },
        { clientDataJSON: clientData({ challenge: 7 }) },
        { clientDataJSON: clientData({ challenge: '' }) },
        { clientDataJSON: clientData({ challenge: 'x'.repeat(513) }) },
      ]) {
        expect(claimedChallenge(response)).toBeNull();
      }
    });
  });

  describe(passkeyFailureReason.name, () => {
    it.each([
      ['Response counter value 3 was lower than expected 5', 'counter'],
      ['Unexpected authentication response origin "https://evil.test", expected "https://a.test"', 'origin'],
      ['Unexpected RP ID hash', 'rp_id'],
      ['User verification required, but user could not be verified', 'user_verification'],
      ['User not present during authentication', 'user_verification'],
      ['Unexpected authentication response challenge "x", expected "y"', 'challenge'],
      ['Unexpected authentication response type: webauthn.create', 'type'],
      ['Credential ID was not base64url-encoded', 'malformed'],
    ])('%s → %s', (message, reason) => {
      expect(passkeyFailureReason(new Error(message))).toBe(reason);
    });

    it('ignores words inside quoted values from the request', () => {
      expect(passkeyFailureReason(new Error('Unexpected credential type "counter-origin", expected x'))).toBe(
        'type',
      );
    });

    it('calls anything that is not an Error malformed', () => {
      expect(passkeyFailureReason('boom')).toBe('malformed');
    });
  });
});
