import { zodResolver } from '@hookform/resolvers/zod';
import { useForm } from 'react-hook-form';
import { useTranslation } from 'react-i18next';
import { useSearchParams } from 'react-router';
import { z } from 'zod';
import { ApiError } from '../api/api-error';
import { ErrorAlert, Notice } from '../ui/error-alert';
import { Field } from '../ui/field';
import { useOpsAction } from './use-ops-action';

const schema = z.object({
  user: z
    .string()
    .trim()
    .regex(/^[0-9a-f-]{36}$/i, 'ops.validation.userUuid'),
  caseNumber: z
    .string()
    .trim()
    .regex(/^CS[0-9]{7}$/i, 'ops.validation.caseNumber'),
  email: z.string().trim().min(1, 'validation.required'),
  familyName: z.string().trim().min(1, 'validation.required'),
  givenName: z.string().trim(),
  company: z.string().trim().min(1, 'validation.required'),
  phone: z
    .string()
    .trim()
    .refine((v) => v === '' || /^\+?[0-9][0-9 ()-]{5,30}$/.test(v), 'ops.validation.phone'),
  confirmed: z.boolean().refine((v) => v, 'ops.validation.confirm'),
});
type Form = z.infer<typeof schema>;

/**
 * AUTH-19: an operator resets a user's MFA after checking who asked. Every identity field given must
 * match the account, or nothing changes; the call needs the operator's fresh second step.
 */
export function MfaResetPage() {
  const { t } = useTranslation();
  const [params] = useSearchParams();
  const form = useForm<Form>({
    resolver: zodResolver(schema),
    defaultValues: {
      user: params.get('user') ?? '',
      caseNumber: params.get('case') ?? '',
      email: '',
      familyName: '',
      givenName: '',
      company: '',
      phone: '',
      confirmed: false,
    },
  });
  const reset = useOpsAction((api, v: Form) =>
    api.post(`/ops/users/${v.user.toLowerCase()}/mfa-reset`, {
      caseNumber: v.caseNumber.toUpperCase(),
      email: v.email,
      familyName: v.familyName,
      company: v.company,
      ...(v.givenName ? { givenName: v.givenName } : {}),
      ...(v.phone ? { phone: v.phone } : {}),
    }),
  );
  const mismatched =
    reset.error instanceof ApiError && Array.isArray(reset.error.details.fields)
      ? (reset.error.details.fields as unknown[]).filter((f): f is string => typeof f === 'string')
      : [];
  const errors = form.formState.errors;
  /** A field's own error, else "does not match" when the identity check named it. */
  const fieldError = (name: 'email' | 'familyName' | 'givenName' | 'company' | 'phone') =>
    errors[name]?.message ?? (mismatched.includes(name) ? 'ops.mfaReset.noMatch' : undefined);
  return (
    <>
      <h1>{t('ops.mfaReset.title')}</h1>
      <section className="card" aria-labelledby="mfa-reset-form">
        <h2 id="mfa-reset-form">{t('ops.mfaReset.identity')}</h2>
        <p>{t('ops.mfaReset.intro')}</p>
        <form noValidate onSubmit={(e) => void form.handleSubmit((v) => reset.mutate(v))(e)}>
          <ErrorAlert error={reset.error} />
          {mismatched.length > 0 && (
            <div role="alert" className="alert alert-error">
              {t('ops.mfaReset.mismatched', {
                fields: mismatched.map((f) => t(`ops.mfaReset.fields.${f}`, { defaultValue: f })).join(', '),
              })}
            </div>
          )}
          {reset.isSuccess && <Notice>{t('ops.mfaReset.done')}</Notice>}
          <div className="ops-grid">
            <Field
              label={t('ops.mfaReset.fields.user')}
              hint={t('ops.mfaReset.userHint')}
              autoComplete="off"
              error={errors.user?.message}
              {...form.register('user')}
            />
            <Field
              label={t('ops.mfaReset.fields.caseNumber')}
              autoComplete="off"
              error={errors.caseNumber?.message}
              {...form.register('caseNumber')}
            />
            <Field
              label={t('ops.mfaReset.fields.email')}
              type="email"
              autoComplete="off"
              error={fieldError('email')}
              {...form.register('email')}
            />
            <Field
              label={t('ops.mfaReset.fields.company')}
              autoComplete="off"
              error={fieldError('company')}
              {...form.register('company')}
            />
            <Field
              label={t('ops.mfaReset.fields.familyName')}
              autoComplete="off"
              error={fieldError('familyName')}
              {...form.register('familyName')}
            />
            <Field
              label={t('ops.mfaReset.fields.givenName')}
              autoComplete="off"
              error={fieldError('givenName')}
              {...form.register('givenName')}
            />
            <Field
              label={t('ops.mfaReset.fields.phone')}
              type="tel"
              autoComplete="off"
              error={fieldError('phone')}
              {...form.register('phone')}
            />
          </div>
          <label className="checkbox">
            <input
              type="checkbox"
              aria-invalid={errors.confirmed ? true : undefined}
              aria-describedby={errors.confirmed ? 'mfa-confirm-error' : undefined}
              {...form.register('confirmed')}
            />
            {t('ops.mfaReset.confirm')}
          </label>
          {errors.confirmed?.message && (
            <p id="mfa-confirm-error" className="field-error">
              {t(errors.confirmed.message)}
            </p>
          )}
          <button type="submit" className="primary" disabled={reset.isPending}>
            {t('ops.mfaReset.submit')}
          </button>
        </form>
      </section>
    </>
  );
}
