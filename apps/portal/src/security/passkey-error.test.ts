import { WebAuthnError } from '@simplewebauthn/browser';
import { describe, expect, it } from 'vitest';
import { ApiError, NetworkError } from '../api/api-error';
import { passkeyProblem, PasskeysUnsupportedError } from './passkey-error';

const domError = (name: string) => Object.assign(new Error(`${name} from the browser`), { name });

describe('passkeyProblem', () => {
  it('leaves the API’s and the network’s errors to the error envelope', () => {
    expect(passkeyProblem(new ApiError(400, 'passkey_invalid', 'Invalid.'))).toBeUndefined();
    expect(passkeyProblem(new NetworkError(new Error('offline')))).toBeUndefined();
    expect(passkeyProblem(undefined)).toBeUndefined();
  });

  it('reads a dismissed prompt or a timeout as cancelled, whether wrapped or not', () => {
    expect(passkeyProblem(domError('NotAllowedError'))).toBe('cancelled');
    expect(
      passkeyProblem(
        new WebAuthnError({
          message: 'The operation either timed out or was not allowed.',
          code: 'ERROR_PASSTHROUGH_SEE_CAUSE_PROPERTY',
          cause: domError('NotAllowedError'),
        }),
      ),
    ).toBe('cancelled');
    expect(
      passkeyProblem(
        new WebAuthnError({
          message: 'aborted',
          code: 'ERROR_CEREMONY_ABORTED',
          cause: domError('AbortError'),
        }),
      ),
    ).toBe('cancelled');
  });

  it('tells an authenticator registered already, a wrong site and a browser without WebAuthn apart', () => {
    expect(
      passkeyProblem(
        new WebAuthnError({
          message: 'The authenticator was previously registered',
          code: 'ERROR_AUTHENTICATOR_PREVIOUSLY_REGISTERED',
          cause: domError('InvalidStateError'),
        }),
      ),
    ).toBe('alreadyRegistered');
    expect(
      passkeyProblem(
        new WebAuthnError({
          message: 'bad rp',
          code: 'ERROR_INVALID_RP_ID',
          cause: domError('SecurityError'),
        }),
      ),
    ).toBe('wrongSite');
    expect(passkeyProblem(domError('SecurityError'))).toBe('wrongSite');
    expect(passkeyProblem(new PasskeysUnsupportedError())).toBe('unsupported');
    expect(passkeyProblem(domError('UnknownError'))).toBe('failed');
  });
});
