import { useMutation, useQuery } from '@tanstack/react-query';
import { useEffect, useId, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiError } from '../api/api-error';
import type { Challenge, VerifyResult } from '../api/types';
import { useApi } from '../session/services';
import { ErrorAlert, Notice } from '../ui/error-alert';
import { Field } from '../ui/field';
import { useCountdown } from '../ui/use-countdown';
import '../security/security.css';

/** Errors after which this flow cannot go on: the user starts again from the password. */
const FLOW_ENDING = new Set(['flow_expired', 'account_locked', 'login_disabled']);

type ApprovalStatus = 'pending' | 'approved' | 'denied' | 'expired';

export interface PushApprovalProps {
  flowId: string;
  offerTrust: boolean;
  /** A step-up of the signed-in session: the calls carry its access token. */
  session?: boolean;
  onVerified(result: VerifyResult): void;
  onFlowEnded(error: ApiError): void;
  onTryAnother?: () => void;
  /** How often the flow's state is asked for while the request waits (ms). */
  pollMs?: number;
}

/**
 * AUTH-13, app approval: the request goes to the user's approver apps, the screen shows the number
 * to pick in the app (number matching: approving a request one did not start takes more than a
 * tap) and asks `GET /auth/login/{flowId}` until the app answers. An approval is turned into tokens
 * by `verify {method:"push"}`; a denial or an expiry says so and offers a new request.
 */
export function PushApproval(props: PushApprovalProps) {
  const { t } = useTranslation();
  const api = useApi();
  const { flowId } = props;
  const pollMs = props.pollMs ?? 2_000;
  const [trust, setTrust] = useState(false);
  const [browserName, setBrowserName] = useState('');
  const [nameError, setNameError] = useState<string>();
  const [resendAt, setResendAt] = useState<number>();
  const secondsToResend = useCountdown(resendAt);
  const checkboxId = useId();

  const endOr = (error: unknown) => {
    if (error instanceof ApiError && FLOW_ENDING.has(error.code)) {
      props.onFlowEnded(error);
    }
  };

  const send = useMutation({
    mutationFn: () =>
      api.post<Challenge & { matchNumber?: number }>(
        `/auth/login/${flowId}/challenge`,
        { method: 'push' },
        { auth: props.session ?? false },
      ),
    onMutate: () => verify.reset(),
    onSuccess: (sent) => setResendAt(Date.now() + sent.resendAfter * 1000),
    onError: (error) => {
      if (error instanceof ApiError && error.retryAfterSeconds !== undefined) {
        setResendAt(Date.now() + error.retryAfterSeconds * 1000);
      }
      endOr(error);
    },
  });

  const verify = useMutation({
    mutationFn: () =>
      api.post<VerifyResult>(
        `/auth/login/${flowId}/verify`,
        {
          method: 'push',
          ...(props.offerTrust && trust ? { trustBrowser: { name: browserName.trim() } } : {}),
        },
        { auth: props.session ?? false },
      ),
    onSuccess: (result) => props.onVerified(result),
    onError: endOr,
  });

  const request = send.data;
  const status = useQuery({
    // One poll per request: a new request starts from "pending" again.
    queryKey: ['login-status', flowId, request?.sentAt ?? request?.expiresAt],
    queryFn: () =>
      api.get<{ status: ApprovalStatus }>(`/auth/login/${flowId}`, { auth: props.session ?? false }),
    enabled: request !== undefined && !send.isPending,
    refetchInterval: (query) => ((query.state.data?.status ?? 'pending') === 'pending' ? pollMs : false),
    refetchIntervalInBackground: true,
    retry: false,
    gcTime: 0,
  });
  const state: ApprovalStatus | undefined =
    verify.error instanceof ApiError && verify.error.code === 'code_expired'
      ? 'expired'
      : status.data?.status;

  // The approval is used once: a re-render while verifying must not send a second verify.
  const verifiedFor = useRef<unknown>(undefined);
  useEffect(() => {
    if (state === 'approved' && verifiedFor.current !== request) {
      verifiedFor.current = request;
      verify.mutate();
    }
  }, [state, request, verify]);
  const { onFlowEnded } = props;
  useEffect(() => {
    if (status.error instanceof ApiError && FLOW_ENDING.has(status.error.code)) {
      onFlowEnded(status.error);
    }
  }, [status.error, onFlowEnded]);

  const submit = () => {
    const missingName = props.offerTrust && trust && !browserName.trim();
    setNameError(missingName ? 'validation.required' : undefined);
    if (!missingName) {
      send.mutate();
    }
  };
  const waiting = request !== undefined && (state === undefined || state === 'pending');
  const over = state === 'denied' || state === 'expired';

  return (
    <form
      onSubmit={(e) => {
        e.preventDefault();
        submit();
      }}
      noValidate
    >
      <ErrorAlert
        error={
          send.error ??
          (verify.error instanceof ApiError && verify.error.code === 'code_expired'
            ? undefined
            : verify.error) ??
          status.error
        }
      />
      {request && !send.isPending && (
        <>
          <Notice>{t('push.sentTo', { destination: request.destination })}</Notice>
          {request.matchNumber !== undefined && !over && (
            <p className="match">
              {t('push.matchNumber')}
              <strong className="match-number" data-match-number={request.matchNumber}>
                {request.matchNumber}
              </strong>
            </p>
          )}
        </>
      )}
      <div
        aria-live="polite"
        className="push-state"
        data-state={state ?? (send.isPending ? 'sending' : 'idle')}
      >
        {send.isPending && <p>{t('push.sending')}</p>}
        {waiting && !send.isPending && <p>{t('push.waiting')}</p>}
        {state === 'approved' && <p>{t('push.approved')}</p>}
        {over && (
          <div role="alert" className="alert alert-error">
            {t(state === 'denied' ? 'push.denied' : 'push.expired')}
          </div>
        )}
      </div>
      {props.offerTrust && (
        <div className="trust">
          <label className="checkbox" htmlFor={checkboxId}>
            <input
              id={checkboxId}
              type="checkbox"
              checked={trust}
              disabled={waiting}
              onChange={(e) => setTrust(e.target.checked)}
            />{' '}
            {t('secondStep.trustBrowser')}
          </label>
          {trust && (
            <Field
              label={t('secondStep.browserName')}
              value={browserName}
              maxLength={100}
              disabled={waiting}
              error={nameError}
              onChange={(e) => setBrowserName(e.target.value)}
            />
          )}
        </div>
      )}
      {(!request || over) && (
        <div className="resend">
          <button type="submit" className="primary" disabled={send.isPending || secondsToResend > 0}>
            {request ? t('push.again') : t('push.send')}
          </button>
          {request && secondsToResend > 0 && (
            <span className="hint" aria-live="off">
              {t('push.againIn', { seconds: secondsToResend })}
            </span>
          )}
        </div>
      )}
      {props.onTryAnother && (
        <button type="button" className="link" onClick={props.onTryAnother}>
          {t('secondStep.tryAnother')}
        </button>
      )}
    </form>
  );
}
