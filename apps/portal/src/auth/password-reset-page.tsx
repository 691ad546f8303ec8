import { useMutation, useQuery } from '@tanstack/react-query';
import { useForm } from 'react-hook-form';
import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router';
import { ApiError } from '../api/api-error';
import { useApi } from '../session/services';
import { ErrorAlert, Loading, Notice } from '../ui/error-alert';
import { NewPasswordFields } from '../password/new-password-fields';
import { acceptableSoFar, checkPassword } from '../password/password-rules';
import { usePasswordPolicy } from '../password/use-password-policy';

interface Form {
  newPassword: string;
  confirmation: string;
}

/** The page a mailed link opens (`/password-reset/<token>`, AUTH-16/17). */
export function PasswordResetPage() {
  const { t } = useTranslation();
  const api = useApi();
  const token = useParams().token ?? '';
  const policy = usePasswordPolicy();
  const inspection = useQuery({
    queryKey: ['password-reset', token],
    queryFn: () =>
      api.get<{ userId: string; locked: boolean }>(`/auth/password-reset/${encodeURIComponent(token)}`, {
        auth: false,
      }),
    retry: false,
  });
  const form = useForm<Form>({ defaultValues: { newPassword: '', confirmation: '' } });
  const submit = useMutation({
    mutationFn: (values: Form) =>
      api.post(
        `/auth/password-reset/${encodeURIComponent(token)}`,
        { newPassword: values.newPassword },
        { auth: false },
      ),
  });
  const violations =
    submit.error instanceof ApiError && Array.isArray(submit.error.details.violations)
      ? (submit.error.details.violations as string[])
      : [];
  const password = form.watch('newPassword');
  const confirmation = form.watch('confirmation');

  if (inspection.isPending || policy.isPending) {
    return <Loading />;
  }
  return (
    <div className="card narrow">
      <h1>{t('reset.title')}</h1>
      {inspection.isError || policy.isError ? (
        <ErrorAlert error={inspection.error ?? policy.error} />
      ) : submit.isSuccess ? (
        <Notice>{t('reset.done')}</Notice>
      ) : (
        <form
          onSubmit={(e) =>
            void form.handleSubmit((values) => {
              if (acceptableSoFar(checkPassword(policy.data, values.newPassword, values.confirmation))) {
                submit.mutate(values);
              }
            })(e)
          }
          noValidate
        >
          <p>{t('reset.forUser', { userId: inspection.data.userId })}</p>
          {inspection.data.locked && <Notice>{t('reset.locked')}</Notice>}
          {/* The checklist names each broken rule; the alert repeats the server's summary. */}
          <ErrorAlert error={submit.error} />
          <NewPasswordFields
            policy={policy.data}
            password={password}
            confirmation={confirmation}
            serverViolations={submit.variables?.newPassword === password ? violations : []}
            register={{ password: form.register('newPassword'), confirmation: form.register('confirmation') }}
            labels={{ password: t('reset.newPassword'), confirmation: t('reset.confirm') }}
            errors={{}}
          />
          <button
            type="submit"
            className="primary"
            disabled={
              submit.isPending || !acceptableSoFar(checkPassword(policy.data, password, confirmation))
            }
          >
            {t('reset.submit')}
          </button>
        </form>
      )}
      <p>
        <Link to="/login">{t('reset.toLogin')}</Link>
      </p>
    </div>
  );
}
