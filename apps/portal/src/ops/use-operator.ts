import { useSession } from '../session/services';

/**
 * The role in the access token's claims (`operator`, `admin`, `user`), read without checking the
 * signature: it only decides which menus the portal shows. Every operator call is still refused by
 * the gateway unless the token really is an operator's.
 */
export function roleOf(accessToken: string | undefined): string | undefined {
  const payload = accessToken?.split('.')[1];
  if (!payload) {
    return undefined;
  }
  try {
    const base64 = payload.replace(/-/g, '+').replace(/_/g, '/');
    const claims = JSON.parse(atob(base64.padEnd(base64.length + ((4 - (base64.length % 4)) % 4), '='))) as {
      role?: unknown;
    };
    return typeof claims.role === 'string' ? claims.role : undefined;
  } catch {
    return undefined;
  }
}

/** True while the session is an operator's. */
export function useIsOperator(): boolean {
  const { signedIn, store } = useSession();
  return signedIn && roleOf(store.accessToken) === 'operator';
}
