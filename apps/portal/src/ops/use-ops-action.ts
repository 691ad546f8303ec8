import { useMutation, useQueryClient, type QueryKey } from '@tanstack/react-query';
import { useApi } from '../session/services';
import { useStepUp } from '../step-up/step-up';
import type { ApiClient } from '../api/api-client';

/**
 * An operator's write: through the step-up when the API asks for a fresh second step (AUTH-12),
 * then the lists it changed are read again.
 */
export function useOpsAction<TInput, TResult = unknown>(
  call: (api: ApiClient, input: TInput) => Promise<TResult>,
  invalidates: QueryKey[] = [],
  onDone?: (result: TResult, input: TInput) => void,
) {
  const api = useApi();
  const withStepUp = useStepUp();
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (input: TInput) => withStepUp(() => call(api, input)),
    onSuccess: async (result, input) => {
      await Promise.all(invalidates.map((queryKey) => queryClient.invalidateQueries({ queryKey })));
      onDone?.(result, input);
    },
  });
}
