import { useQuery } from '@tanstack/react-query';
import { useApi } from '../session/services';
import type { AdminUser } from './types';

/** `GET /admin/users`: every user of the active tenant. */
export function useUsers() {
  const api = useApi();
  return useQuery({ queryKey: ['admin', 'users'], queryFn: () => api.get<AdminUser[]>('/admin/users') });
}

export function displayName(user: AdminUser): string {
  return [user.familyName, user.givenName].filter(Boolean).join(' ');
}
