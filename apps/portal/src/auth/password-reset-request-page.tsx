import { zodResolver } from '@hookform/resolvers/zod';
import { useMutation } from '@tanstack/react-query';
import { useForm } from 'react-hook-form';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { z } from 'zod';
import { useApi } from '../session/services';
import { ErrorAlert, Notice } from '../ui/error-alert';
import { Field } from '../ui/field';

const schema = z.object({
  userId: z.string().trim().min(1, 'validation.required'),
  email: z.string().trim().min(1, 'validation.required').email('validation.email'),
});
type Form = z.infer<typeof schema>;

/** AUTH-16: the same answer whether or not the ID and address match, so nothing is revealed. */
export function PasswordResetRequestPage() {
  const { t } = useTranslation();
  const api = useApi();
  const form = useForm<Form>({ resolver: zodResolver(schema), defaultValues: { userId: '', email: '' } });
  const request = useMutation({
    mutationFn: (values: Form) => api.post('/auth/password-reset', values, { auth: false }),
  });
  const errors = form.formState.errors;
  return (
    <div className="card narrow">
      <h1>{t('reset.requestTitle')}</h1>
      {request.isSuccess ? (
        <Notice>{t('reset.requested')}</Notice>
      ) : (
        <form onSubmit={(e) => void form.handleSubmit((values) => request.mutate(values))(e)} noValidate>
          <p>{t('reset.requestIntro')}</p>
          <ErrorAlert error={request.error} />
          <Field
            label={t('login.userId')}
            autoComplete="username"
            error={errors.userId?.message}
            {...form.register('userId')}
          />
          <Field
            label={t('reset.email')}
            type="email"
            autoComplete="email"
            error={errors.email?.message}
            {...form.register('email')}
          />
          <button type="submit" className="primary" disabled={request.isPending}>
            {t('reset.requestSubmit')}
          </button>
        </form>
      )}
      <p>
        <Link to="/login">{t('reset.toLogin')}</Link>
      </p>
    </div>
  );
}
