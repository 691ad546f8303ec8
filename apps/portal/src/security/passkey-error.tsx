import { WebAuthnError } from '@simplewebauthn/browser';
import { useTranslation } from 'react-i18next';
import { ApiError, NetworkError } from '../api/api-error';
import { ErrorAlert } from '../ui/error-alert';

/** A browser without WebAuthn: thrown before asking it, so the user reads why nothing happened. */
export class PasskeysUnsupportedError extends Error {
  constructor() {
    super('WebAuthn is not available in this browser');
    this.name = 'PasskeysUnsupportedError';
  }
}

export type PasskeyProblem = 'cancelled' | 'alreadyRegistered' | 'wrongSite' | 'unsupported' | 'failed';

/**
 * What went wrong on the browser's side of a passkey ceremony, or undefined for an answer of the
 * API (shown from its error envelope). Browsers report a dismissed prompt, a timeout and an unknown
 * passkey all as NotAllowedError on purpose (a site must not learn which), so they read the same.
 */
export function passkeyProblem(error: unknown): PasskeyProblem | undefined {
  if (error instanceof ApiError || error instanceof NetworkError || !error) {
    return undefined;
  }
  if (error instanceof PasskeysUnsupportedError) {
    return 'unsupported';
  }
  const code = error instanceof WebAuthnError ? error.code : undefined;
  const name =
    error instanceof WebAuthnError && error.cause instanceof Error ? error.cause.name : (error as Error).name;
  if (code === 'ERROR_AUTHENTICATOR_PREVIOUSLY_REGISTERED' || name === 'InvalidStateError') {
    return 'alreadyRegistered';
  }
  if (code === 'ERROR_INVALID_DOMAIN' || code === 'ERROR_INVALID_RP_ID' || name === 'SecurityError') {
    return 'wrongSite';
  }
  if (code === 'ERROR_CEREMONY_ABORTED' || name === 'NotAllowedError' || name === 'AbortError') {
    return 'cancelled';
  }
  return 'failed';
}

/** The failure of a passkey action: the browser's in our words, the API's from its envelope. */
export function PasskeyErrorAlert({ error }: { error: unknown }) {
  const { t } = useTranslation();
  const problem = passkeyProblem(error);
  if (!problem) {
    return <ErrorAlert error={error} />;
  }
  return (
    <div role="alert" className="alert alert-error">
      {t(`security.passkeyErrors.${problem}`)}
    </div>
  );
}
