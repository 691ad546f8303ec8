import { zodResolver } from '@hookform/resolvers/zod';
import { useMutation } from '@tanstack/react-query';
import { useState } from 'react';
import { useForm } from 'react-hook-form';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate } from 'react-router';
import { z } from 'zod';
import type { ApiError } from '../api/api-error';
import type {
  Authenticated,
  InitialPasswordRequired,
  LoginResult,
  SecondFactorRequired,
  VerifyResult,
} from '../api/types';
import { useApi, useSession } from '../session/services';
import { ErrorAlert } from '../ui/error-alert';
import { Field } from '../ui/field';
import { landingPath } from './after-sign-in';
import { PasskeyLogin } from './passkey-login';
import { SecondStep } from './second-step';

const loginSchema = z.object({
  userId: z.string().trim().min(1, 'validation.required'),
  password: z.string().min(1, 'validation.required'),
});
type LoginForm = z.infer<typeof loginSchema>;

type Step =
  | { kind: 'password' }
  | { kind: 'second'; flow: SecondFactorRequired }
  | { kind: 'initial'; flow: InitialPasswordRequired };

/**
 * The login (AUTH-3…AUTH-14): ID and password, then the second step, then the initial password; or a
 * passkey, which needs neither.
 */
export function LoginPage() {
  const { t } = useTranslation();
  const api = useApi();
  const { store } = useSession();
  const navigate = useNavigate();
  const [step, setStep] = useState<Step>({ kind: 'password' });
  const [ended, setEnded] = useState<ApiError>();

  const finish = (result: Authenticated) => {
    store.signIn(result);
    void navigate(landingPath(result), { replace: true });
  };
  const afterVerify = (result: VerifyResult) => {
    if (result.status === 'authenticated') {
      finish(result);
    } else {
      setStep({ kind: 'initial', flow: result });
    }
  };
  const afterFirstStep = (result: LoginResult) => {
    setEnded(undefined);
    if (result.status === 'authenticated') {
      finish(result);
    } else {
      setStep({ kind: 'second', flow: result });
    }
  };
  const restart = (error: ApiError) => {
    setEnded(error);
    setStep({ kind: 'password' });
  };

  return (
    <div className="card narrow">
      <h1>{step.kind === 'password' ? t('login.title') : t('secondStep.title')}</h1>
      {step.kind === 'password' && (
        <>
          <PasswordStep flowEnded={ended} onResult={afterFirstStep} />
          <PasskeyLogin onResult={afterFirstStep} />
        </>
      )}
      {step.kind === 'second' && (
        <SecondStep
          flowId={step.flow.flowId}
          methods={step.flow.methods}
          offerTrust
          onVerified={afterVerify}
          onFlowEnded={restart}
        />
      )}
      {step.kind === 'initial' && (
        <InitialPasswordStep
          flowId={step.flow.flowId}
          onVerified={afterVerify}
          onFlowEnded={restart}
          api={api}
        />
      )}
    </div>
  );
}

function PasswordStep({
  onResult,
  flowEnded,
}: {
  onResult(result: LoginResult): void;
  flowEnded?: ApiError;
}) {
  const { t } = useTranslation();
  const api = useApi();
  const form = useForm<LoginForm>({
    resolver: zodResolver(loginSchema),
    defaultValues: { userId: '', password: '' },
  });
  const login = useMutation({
    mutationFn: (values: LoginForm) => api.post<LoginResult>('/auth/login', values, { auth: false }),
    onSuccess: onResult,
    onError: () => form.setValue('password', ''),
  });
  const errors = form.formState.errors;
  return (
    <form onSubmit={(e) => void form.handleSubmit((values) => login.mutate(values))(e)} noValidate>
      <ErrorAlert error={login.error ?? flowEnded} />
      <Field
        label={t('login.userId')}
        autoComplete="username"
        error={errors.userId?.message}
        {...form.register('userId')}
      />
      <Field
        label={t('login.password')}
        type="password"
        autoComplete="current-password"
        error={errors.password?.message}
        {...form.register('password')}
      />
      <button type="submit" className="primary" disabled={login.isPending}>
        {t('login.submit')}
      </button>
      <p>
        <Link to="/password-reset">{t('login.forgot')}</Link>
      </p>
    </form>
  );
}

const initialSchema = z.object({ initialPassword: z.string().min(1, 'validation.required') });

function InitialPasswordStep({
  flowId,
  onVerified,
  onFlowEnded,
  api,
}: {
  flowId: string;
  onVerified(result: VerifyResult): void;
  onFlowEnded(error: ApiError): void;
  api: ReturnType<typeof useApi>;
}) {
  const { t } = useTranslation();
  const form = useForm<z.infer<typeof initialSchema>>({
    resolver: zodResolver(initialSchema),
    defaultValues: { initialPassword: '' },
  });
  const submit = useMutation({
    mutationFn: (values: z.infer<typeof initialSchema>) =>
      api.post<VerifyResult>(`/auth/login/${flowId}/initial-password`, values, { auth: false }),
    onSuccess: onVerified,
    onError: (error) => {
      if ((error as ApiError).code === 'flow_expired') {
        onFlowEnded(error as ApiError);
      }
    },
  });
  return (
    <form onSubmit={(e) => void form.handleSubmit((values) => submit.mutate(values))(e)} noValidate>
      <h2>{t('initialPassword.title')}</h2>
      <p>{t('initialPassword.intro')}</p>
      <ErrorAlert error={submit.error} />
      <Field
        label={t('initialPassword.label')}
        type="password"
        autoComplete="off"
        error={form.formState.errors.initialPassword?.message}
        {...form.register('initialPassword')}
      />
      <button type="submit" className="primary" disabled={submit.isPending}>
        {t('initialPassword.submit')}
      </button>
    </form>
  );
}
