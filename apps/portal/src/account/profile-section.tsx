import { zodResolver } from '@hookform/resolvers/zod';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useForm } from 'react-hook-form';
import { useTranslation } from 'react-i18next';
import { z } from 'zod';
import type { Me } from '../api/types';
import { LANGUAGES } from '../i18n/i18n';
import { useApi } from '../session/services';
import { useStepUp } from '../step-up/step-up';
import { ErrorAlert, Notice } from '../ui/error-alert';
import { Field } from '../ui/field';

const schema = z.object({
  displayName: z.string().trim().max(100),
  email: z.string().trim().min(1, 'validation.required').email('validation.email'),
  phone: z.string().trim(),
  language: z.enum(LANGUAGES),
  timezone: z.string().trim().min(1, 'validation.required'),
});
type Form = z.infer<typeof schema>;

/** AUTH-20: the user's own profile. A new e-mail or phone needs a fresh second step (AUTH-12). */
export function ProfileSection({ me }: { me: Me }) {
  const { t, i18n } = useTranslation();
  const api = useApi();
  const queryClient = useQueryClient();
  const withStepUp = useStepUp();
  const form = useForm<Form>({
    resolver: zodResolver(schema),
    defaultValues: {
      displayName: me.displayName ?? '',
      email: me.email,
      phone: me.phone ?? '',
      language: me.language,
      timezone: me.timezone,
    },
  });
  const save = useMutation({
    mutationFn: (values: Form) => {
      // Only what changed goes out, so a name change does not ask for a second step.
      const changes: Record<string, string | null> = {};
      if (values.displayName !== (me.displayName ?? '')) {
        changes.displayName = values.displayName || null;
      }
      if (values.email !== me.email) {
        changes.email = values.email;
      }
      if (values.phone !== (me.phone ?? '')) {
        changes.phone = values.phone || null;
      }
      if (values.language !== me.language) {
        changes.language = values.language;
      }
      if (values.timezone !== me.timezone) {
        changes.timezone = values.timezone;
      }
      return withStepUp(() => api.patch<Me>('/me', changes));
    },
    onSuccess: async (updated) => {
      if (updated?.language) {
        await i18n.changeLanguage(updated.language);
      }
      await queryClient.invalidateQueries({ queryKey: ['me'] });
    },
  });
  const errors = form.formState.errors;
  return (
    <section aria-labelledby="profile-title" className="card">
      <h2 id="profile-title">{t('account.profile')}</h2>
      <dl className="facts">
        <dt>{t('account.userId')}</dt>
        <dd>{me.userId}</dd>
      </dl>
      <form onSubmit={(e) => void form.handleSubmit((values) => save.mutate(values))(e)} noValidate>
        <ErrorAlert error={save.error} />
        {save.isSuccess && <Notice>{t('account.saved')}</Notice>}
        <Field
          label={t('account.displayName')}
          autoComplete="nickname"
          error={errors.displayName?.message}
          {...form.register('displayName')}
        />
        <Field
          label={t('account.email')}
          type="email"
          autoComplete="email"
          error={errors.email?.message}
          {...form.register('email')}
        />
        <Field
          label={t('account.phone')}
          type="tel"
          autoComplete="tel"
          error={errors.phone?.message}
          {...form.register('phone')}
        />
        <div className="field">
          <label htmlFor="profile-language">{t('account.language')}</label>
          <select id="profile-language" {...form.register('language')}>
            {LANGUAGES.map((language) => (
              <option key={language} value={language}>
                {t(`languages.${language}`)}
              </option>
            ))}
          </select>
        </div>
        <Field
          label={t('account.timezone')}
          error={errors.timezone?.message}
          {...form.register('timezone')}
        />
        <button type="submit" className="primary" disabled={save.isPending}>
          {t('common.save')}
        </button>
      </form>
    </section>
  );
}
