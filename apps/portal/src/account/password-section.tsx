import { useMutation } from '@tanstack/react-query';
import { useForm } from 'react-hook-form';
import { useTranslation } from 'react-i18next';
import { ApiError } from '../api/api-error';
import { NewPasswordFields } from '../password/new-password-fields';
import { acceptableSoFar, checkPassword } from '../password/password-rules';
import { usePasswordPolicy } from '../password/use-password-policy';
import { useApi } from '../session/services';
import { useStepUp } from '../step-up/step-up';
import { ErrorAlert, Loading, Notice } from '../ui/error-alert';
import { Field } from '../ui/field';

interface Form {
  currentPassword: string;
  newPassword: string;
  confirmation: string;
}

/** `POST /me/password`, through the step-up when the last second step is not fresh (AUTH-12). */
export function PasswordSection() {
  const { t } = useTranslation();
  const api = useApi();
  const withStepUp = useStepUp();
  const policy = usePasswordPolicy();
  const form = useForm<Form>({ defaultValues: { currentPassword: '', newPassword: '', confirmation: '' } });
  const change = useMutation({
    mutationFn: (values: Form) =>
      withStepUp(() =>
        api.post('/me/password', {
          currentPassword: values.currentPassword,
          newPassword: values.newPassword,
          confirmation: values.confirmation,
        }),
      ),
    onSuccess: () => form.reset(),
  });
  const password = form.watch('newPassword');
  const confirmation = form.watch('confirmation');
  const violations =
    change.error instanceof ApiError && Array.isArray(change.error.details.violations)
      ? (change.error.details.violations as string[])
      : [];
  return (
    <section aria-labelledby="password-title" className="card">
      <h2 id="password-title">{t('account.password')}</h2>
      {policy.isPending ? (
        <Loading />
      ) : policy.isError ? (
        <ErrorAlert error={policy.error} />
      ) : (
        <form
          onSubmit={(e) =>
            void form.handleSubmit((values) => {
              if (acceptableSoFar(checkPassword(policy.data, values.newPassword, values.confirmation))) {
                change.mutate(values);
              }
            })(e)
          }
          noValidate
        >
          <ErrorAlert error={change.error} />
          {change.isSuccess && <Notice>{t('account.passwordChanged')}</Notice>}
          <Field
            label={t('account.currentPassword')}
            type="password"
            autoComplete="current-password"
            error={form.formState.errors.currentPassword?.message}
            {...form.register('currentPassword', { required: 'validation.required' })}
          />
          <NewPasswordFields
            policy={policy.data}
            password={password}
            confirmation={confirmation}
            serverViolations={change.variables?.newPassword === password ? violations : []}
            register={{ password: form.register('newPassword'), confirmation: form.register('confirmation') }}
            labels={{ password: t('account.newPassword'), confirmation: t('account.confirmPassword') }}
            errors={{}}
          />
          <button type="submit" className="primary" disabled={change.isPending}>
            {t('account.changePassword')}
          </button>
        </form>
      )}
    </section>
  );
}
