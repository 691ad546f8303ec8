import { createContext, useCallback, useContext, useState, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiError } from '../api/api-error';
import type { MethodOption, VerifyResult } from '../api/types';
import { SecondStep } from '../auth/second-step';
import { useSession } from '../session/services';
import { ErrorAlert } from '../ui/error-alert';
import { ModalDialog } from '../ui/modal-dialog';

type RunWithStepUp = <T>(action: () => Promise<T>) => Promise<T>;

const StepUpContext = createContext<RunWithStepUp | undefined>(undefined);

interface Pending {
  flowId: string;
  methods: MethodOption[];
  resolve(): void;
  reject(error: unknown): void;
}

/** A `403 step_up_required` answer's flow and methods (API.md, AUTH-12), if `error` is one. */
export function stepUpOf(error: unknown): { flowId: string; methods: MethodOption[] } | undefined {
  if (!(error instanceof ApiError) || error.code !== 'step_up_required') {
    return undefined;
  }
  const { flowId, methods } = error.details as { flowId?: unknown; methods?: unknown };
  if (typeof flowId !== 'string' || !Array.isArray(methods)) {
    return undefined;
  }
  const options = methods.map((m): MethodOption =>
    typeof m === 'string' ? { type: m as MethodOption['type'] } : (m as MethodOption),
  );
  return { flowId, methods: options };
}

/**
 * Sensitive actions walk the step-up inline (AUTH-12): when the API answers `step_up_required`,
 * a dialog runs the second step on the flow it names, the fresh tokens replace the old ones, and
 * the action is repeated once. Cancelling rejects with the original error.
 */
export function StepUpProvider({ children }: { children: ReactNode }) {
  const [pending, setPending] = useState<Pending>();
  const run = useCallback<RunWithStepUp>(async (action) => {
    try {
      return await action();
    } catch (error) {
      const flow = stepUpOf(error);
      if (!flow) {
        throw error;
      }
      await new Promise<void>((resolve, reject) =>
        setPending({ ...flow, resolve, reject: () => reject(error) }),
      );
      return action();
    }
  }, []);
  return (
    <StepUpContext.Provider value={run}>
      {children}
      {pending && <StepUpDialog pending={pending} onClose={() => setPending(undefined)} />}
    </StepUpContext.Provider>
  );
}

export function useStepUp(): RunWithStepUp {
  const run = useContext(StepUpContext);
  if (!run) {
    throw new Error('useStepUp outside StepUpProvider');
  }
  return run;
}

function StepUpDialog({ pending, onClose }: { pending: Pending; onClose(): void }) {
  const { t } = useTranslation();
  const { store } = useSession();
  const [ended, setEnded] = useState<ApiError>();
  const cancel = () => {
    pending.reject(undefined);
    onClose();
  };
  const verified = (result: VerifyResult) => {
    if (result.status === 'authenticated') {
      store.signIn(result);
      pending.resolve();
      onClose();
    }
  };
  return (
    <ModalDialog title={t('stepUp.title')} onCancel={cancel}>
      <p>{t('stepUp.intro')}</p>
      {ended ? (
        <ErrorAlert error={ended} />
      ) : (
        <SecondStep
          flowId={pending.flowId}
          methods={pending.methods}
          offerTrust={false}
          session
          onVerified={verified}
          onFlowEnded={setEnded}
        />
      )}
      <button type="button" onClick={cancel}>
        {t('common.cancel')}
      </button>
    </ModalDialog>
  );
}
