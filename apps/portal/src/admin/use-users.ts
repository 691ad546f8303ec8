import { useQuery } from '@tanstack/react-query';
import { useApi } from '../session/services';
import type { AdminUser } from './types';

/** `GET /admin/users`: every user of the active tenant (not asked for when `enabled` is false). */
export function useUsers({ enabled = true }: { enabled?: boolean } = {}) {
  const api = useApi();
  return useQuery({
    queryKey: ['admin', 'users'],
    queryFn: () => api.get<AdminUser[]>('/admin/users'),
    enabled,
  });
}

export function displayName(user: AdminUser): string {
  return [user.familyName, user.givenName].filter(Boolean).join(' ');
}
