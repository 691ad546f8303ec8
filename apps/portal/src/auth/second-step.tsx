import { zodResolver } from '@hookform/resolvers/zod';
import { useMutation } from '@tanstack/react-query';
import { useEffect, useRef, useState } from 'react';
import { useForm } from 'react-hook-form';
import { useTranslation } from 'react-i18next';
import { z } from 'zod';
import { ApiError } from '../api/api-error';
import type { Challenge, MethodOption, SecondFactor, VerifyResult } from '../api/types';
import { useApi } from '../session/services';
import { ErrorAlert, Notice } from '../ui/error-alert';
import { Field } from '../ui/field';
import { useCountdown } from '../ui/use-countdown';
import { PushApproval } from './push-approval';

/** Errors after which this flow cannot go on: the user starts again from the password. */
const FLOW_ENDING = new Set(['flow_expired', 'account_locked', 'login_disabled']);

export interface SecondStepProps {
  flowId: string;
  methods: MethodOption[];
  /** Offer "trust this browser" (the login, not a step-up). */
  offerTrust: boolean;
  /**
   * A step-up of the signed-in session: its calls carry the access token, because the server
   * completes a step-up flow only for the session that it was opened for.
   */
  session?: boolean;
  onVerified(result: VerifyResult): void;
  /** The flow ended (expired, locked): the caller goes back to the start. */
  onFlowEnded(error: ApiError): void;
}

/**
 * The second step (AUTH-4…AUTH-9, AUTH-12, AUTH-13): choose a method, receive and enter the code or
 * approve in the app, or try another method. Used by the login and, for sensitive actions, by the
 * step-up dialog.
 */
export function SecondStep(props: SecondStepProps) {
  const { t } = useTranslation();
  const [method, setMethod] = useState<SecondFactor | undefined>(() =>
    props.methods.length === 1 ? props.methods[0].type : undefined,
  );
  const onTryAnother = props.methods.length > 1 ? () => setMethod(undefined) : undefined;
  if (method === 'push') {
    return <PushApproval {...props} onTryAnother={onTryAnother} />;
  }
  if (method) {
    return <CodeEntry key={method} {...props} method={method} onTryAnother={onTryAnother} />;
  }
  return (
    <fieldset className="methods">
      <legend>{t('secondStep.choose')}</legend>
      {props.methods.map((option) => (
        <button
          key={option.type}
          type="button"
          className="method"
          onClick={() => setMethod(option.type)}
          data-method={option.type}
        >
          <span>{t(`secondStep.methods.${option.type}`)}</span>
          {option.destination && <span className="destination">{option.destination}</span>}
          {option.default && <span className="badge">{t('secondStep.recommended')}</span>}
        </button>
      ))}
    </fieldset>
  );
}

const codeSchema = z
  .object({
    code: z
      .string()
      .trim()
      .regex(/^\d{6}$/, 'validation.code'),
    trust: z.boolean(),
    browserName: z.string().trim().max(100),
  })
  .refine((v) => !v.trust || v.browserName.length > 0, {
    path: ['browserName'],
    message: 'validation.required',
  });
type CodeForm = z.infer<typeof codeSchema>;

function CodeEntry(props: SecondStepProps & { method: SecondFactor; onTryAnother?: () => void }) {
  const { t } = useTranslation();
  const api = useApi();
  const { flowId, method } = props;
  const sendsCode = method === 'sms' || method === 'email';
  const [challenge, setChallenge] = useState<Challenge>();
  const [resendAt, setResendAt] = useState<number>();
  const secondsToResend = useCountdown(resendAt);
  const form = useForm<CodeForm>({
    resolver: zodResolver(codeSchema),
    defaultValues: { code: '', trust: false, browserName: '' },
  });

  const endOr = (error: unknown) => {
    if (error instanceof ApiError && FLOW_ENDING.has(error.code)) {
      props.onFlowEnded(error);
    }
  };

  const send = useMutation({
    mutationFn: () =>
      api.post<Challenge>(`/auth/login/${flowId}/challenge`, { method }, { auth: props.session ?? false }),
    onSuccess: (sent) => {
      setChallenge(sent);
      setResendAt(Date.now() + sent.resendAfter * 1000);
    },
    onError: (error) => {
      if (error instanceof ApiError && error.retryAfterSeconds !== undefined) {
        setResendAt(Date.now() + error.retryAfterSeconds * 1000);
      }
      endOr(error);
    },
  });

  const verify = useMutation({
    mutationFn: (values: CodeForm) =>
      api.post<VerifyResult>(
        `/auth/login/${flowId}/verify`,
        {
          method,
          code: values.code.trim(),
          ...(props.offerTrust && values.trust ? { trustBrowser: { name: values.browserName.trim() } } : {}),
        },
        { auth: props.session ?? false },
      ),
    onSuccess: (result) => props.onVerified(result),
    onError: (error) => {
      form.setValue('code', '');
      endOr(error);
    },
  });

  // The first code goes out as soon as the method is chosen; StrictMode's second mount must not
  // send a second one.
  const sentOnce = useRef(false);
  useEffect(() => {
    if (sendsCode && !sentOnce.current) {
      sentOnce.current = true;
      send.mutate();
    }
  }, [sendsCode, send]);

  const trust = form.watch('trust');
  const errors = form.formState.errors;
  return (
    <form onSubmit={(e) => void form.handleSubmit((values) => verify.mutate(values))(e)} noValidate>
      {sendsCode && challenge && (
        <Notice>{t('secondStep.sentTo', { destination: challenge.destination })}</Notice>
      )}
      {method === 'totp' && <p>{t('secondStep.totpIntro')}</p>}
      <ErrorAlert error={send.error ?? verify.error} />
      <Field
        label={t('secondStep.code')}
        inputMode="numeric"
        autoComplete="one-time-code"
        maxLength={6}
        autoFocus
        error={errors.code?.message}
        {...form.register('code')}
      />
      {props.offerTrust && (
        <div className="trust">
          <label className="checkbox">
            <input type="checkbox" {...form.register('trust')} /> {t('secondStep.trustBrowser')}
          </label>
          {trust && (
            <Field
              label={t('secondStep.browserName')}
              error={errors.browserName?.message}
              {...form.register('browserName')}
            />
          )}
        </div>
      )}
      <button type="submit" className="primary" disabled={verify.isPending}>
        {t('secondStep.verify')}
      </button>
      {sendsCode && (
        <div className="resend">
          <button
            type="button"
            disabled={secondsToResend > 0 || send.isPending}
            onClick={() => send.mutate()}
          >
            {t('secondStep.resend')}
          </button>
          {secondsToResend > 0 && (
            <span className="hint" aria-live="off">
              {t('secondStep.resendIn', { seconds: secondsToResend })}
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
