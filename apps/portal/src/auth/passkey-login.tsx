import { browserSupportsWebAuthn, startAuthentication } from '@simplewebauthn/browser';
import type { PublicKeyCredentialRequestOptionsJSON } from '@simplewebauthn/browser';
import { useMutation } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import type { LoginResult } from '../api/types';
import { PasskeyErrorAlert, PasskeysUnsupportedError } from '../security/passkey-error';
import { useApi } from '../session/services';
import '../security/security.css';

interface PasskeyLoginOptions {
  flowId: string;
  options: PublicKeyCredentialRequestOptionsJSON;
}

/**
 * AUTH-10: log in with a passkey instead of ID and password. No user ID is sent, so the browser
 * offers any passkey it holds for this site (a discoverable credential) and the answer does not
 * tell whether an ID exists. A passkey is two factors in one: no second step follows.
 */
export function PasskeyLogin({ onResult }: { onResult(result: LoginResult): void }) {
  const { t } = useTranslation();
  const api = useApi();
  const login = useMutation({
    mutationFn: async () => {
      if (!browserSupportsWebAuthn()) {
        throw new PasskeysUnsupportedError();
      }
      const { flowId, options } = await api.post<PasskeyLoginOptions>(
        '/auth/passkey/options',
        {},
        { auth: false },
      );
      const credential = await startAuthentication({ optionsJSON: options });
      return api.post<LoginResult>('/auth/passkey/verify', { flowId, credential }, { auth: false });
    },
    onSuccess: (result) => onResult(result),
  });
  return (
    <div className="passkey-login">
      <p className="divider">{t('passkeyLogin.or')}</p>
      <PasskeyErrorAlert error={login.error} />
      <button type="button" className="passkey" disabled={login.isPending} onClick={() => login.mutate()}>
        {login.isPending ? t('passkeyLogin.working') : t('passkeyLogin.button')}
      </button>
    </div>
  );
}
