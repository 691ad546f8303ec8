import { useQuery } from '@tanstack/react-query';
import type { PasswordPolicyView } from '../api/types';
import { useApi } from '../session/services';

/** `GET /auth/password-policy`: the rules the checklist shows (AUTH-2). */
export function usePasswordPolicy() {
  const api = useApi();
  return useQuery({
    queryKey: ['password-policy'],
    queryFn: () => api.get<PasswordPolicyView>('/auth/password-policy', { auth: false }),
    staleTime: Infinity,
  });
}
