import { zodResolver } from '@hookform/resolvers/zod';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useForm } from 'react-hook-form';
import { useTranslation } from 'react-i18next';
import { useApi } from '../session/services';
import { useStepUp } from '../step-up/step-up';
import { ErrorAlert, Loading, Notice } from '../ui/error-alert';
import { Field } from '../ui/field';
import { policyBody, policySchema, policyValues, type PolicyForm } from './policy-form';
import type { SecurityPolicy } from './types';

/** AUTH-5, AUTH-9: the tenant's second-step rule and how long a trusted browser skips it. */
export function SecurityPolicyPage() {
  const { t } = useTranslation();
  const api = useApi();
  const policy = useQuery({
    queryKey: ['admin', 'security-policy'],
    queryFn: () => api.get<SecurityPolicy>('/admin/security-policy'),
  });
  return (
    <div className="stack">
      <h1>{t('admin.policy.title')}</h1>
      {policy.isPending ? (
        <Loading />
      ) : policy.isError ? (
        <ErrorAlert error={policy.error} />
      ) : (
        <PolicyEditor policy={policy.data} />
      )}
    </div>
  );
}

export function PolicyEditor({ policy }: { policy: SecurityPolicy }) {
  const { t } = useTranslation();
  const api = useApi();
  const queryClient = useQueryClient();
  const withStepUp = useStepUp();
  const form = useForm<PolicyForm>({
    resolver: zodResolver(policySchema),
    defaultValues: policyValues(policy),
  });
  const save = useMutation({
    mutationFn: (values: PolicyForm) =>
      withStepUp(() =>
        api.request<SecurityPolicy>('PUT', '/admin/security-policy', { body: policyBody(values) }),
      ),
    onSuccess: (saved) => queryClient.setQueryData(['admin', 'security-policy'], saved),
  });
  const mode = form.watch('trustedBrowser');
  return (
    <form
      className="card"
      noValidate
      onSubmit={(e) => void form.handleSubmit((values) => save.mutate(values))(e)}
    >
      <p>{t('admin.policy.intro')}</p>
      <ErrorAlert error={save.error} />
      {save.isSuccess && <Notice>{t('admin.policy.saved')}</Notice>}
      <label className="checkbox">
        <input type="checkbox" {...form.register('mfaAlways')} />
        {t('admin.policy.mfaAlways')}
      </label>
      <fieldset className="choices-set">
        <legend>{t('admin.policy.trustedBrowser')}</legend>
        <label className="checkbox">
          <input type="radio" value="default" {...form.register('trustedBrowser')} />
          {t('admin.policy.defaultTime')}
        </label>
        <label className="checkbox">
          <input type="radio" value="days" {...form.register('trustedBrowser')} />
          {t('admin.policy.customDays')}
        </label>
        {mode === 'days' && (
          <Field
            label={t('admin.policy.days')}
            inputMode="numeric"
            autoComplete="off"
            hint={t('admin.policy.shorterNote')}
            error={form.formState.errors.days?.message}
            {...form.register('days')}
          />
        )}
      </fieldset>
      <button type="submit" className="primary" disabled={save.isPending}>
        {t('common.save')}
      </button>
    </form>
  );
}
