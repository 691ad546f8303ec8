import { useMe } from '../account/account-page';

/** Whether the signed-in user is an admin of the active tenant (`GET /me`'s tenants); undefined while loading. */
export function useIsTenantAdmin(): boolean | undefined {
  const me = useMe();
  if (!me.data) {
    return me.isError ? false : undefined;
  }
  const active = me.data.tenants.find((tenant) => tenant.number === me.data.activeTenant);
  return active?.role === 'admin';
}
