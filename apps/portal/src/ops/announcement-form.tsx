import { zodResolver } from '@hookform/resolvers/zod';
import { useForm } from 'react-hook-form';
import { useTranslation } from 'react-i18next';
import { Field } from '../ui/field';
import { TextArea } from './fields';
import { announcementSchema, type AnnouncementValues } from './announcement-schema';
import type { Service } from './types';

/** An announcement's fields (CASE-11), checked before anything is sent. */
export function AnnouncementForm({
  defaults,
  services,
  submitLabel,
  pending,
  onSubmit,
}: {
  defaults: AnnouncementValues;
  services: Service[];
  submitLabel: string;
  pending: boolean;
  onSubmit(values: AnnouncementValues): void;
}) {
  const { t, i18n } = useTranslation();
  const lang = i18n.resolvedLanguage === 'en' ? 'en' : 'ja';
  const form = useForm<AnnouncementValues>({
    resolver: zodResolver(announcementSchema),
    defaultValues: defaults,
  });
  const audience = form.watch('audience');
  const errors = form.formState.errors;
  return (
    <form noValidate onSubmit={(e) => void form.handleSubmit(onSubmit)(e)}>
      <Field
        label={t('ops.announcements.titleField')}
        error={errors.title?.message}
        {...form.register('title')}
      />
      <TextArea
        label={t('ops.announcements.body')}
        hint={t('ops.common.textHint')}
        error={errors.body?.message}
        {...form.register('body')}
      />
      <Field
        label={t('ops.announcements.article')}
        hint={t('ops.announcements.articleHint')}
        error={errors.article?.message}
        {...form.register('article')}
      />
      <div className="ops-grid">
        <Field
          label={t('ops.announcements.from')}
          type="datetime-local"
          error={errors.from?.message}
          {...form.register('from')}
        />
        <Field
          label={t('ops.announcements.to')}
          type="datetime-local"
          error={errors.to?.message}
          {...form.register('to')}
        />
      </div>
      <label className="checkbox">
        <input type="checkbox" {...form.register('banner')} />
        {t('ops.announcements.banner')}
      </label>
      <fieldset className="ops-fieldset">
        <legend>{t('ops.announcements.audience')}</legend>
        <label className="checkbox">
          <input type="radio" value="all" {...form.register('audience')} />
          {t('ops.announcements.everyone')}
        </label>
        <label className="checkbox">
          <input type="radio" value="some" {...form.register('audience')} />
          {t('ops.announcements.some')}
        </label>
        {audience === 'some' && (
          <>
            <Field
              label={t('ops.announcements.tenants')}
              hint={t('ops.announcements.tenantsHint')}
              error={errors.tenants?.message}
              {...form.register('tenants')}
            />
            <fieldset
              className="ops-fieldset"
              aria-describedby={errors.services ? 'services-error' : undefined}
            >
              <legend>{t('ops.announcements.services')}</legend>
              {services.length === 0 && <p className="ops-muted">{t('ops.services.none')}</p>}
              {services.map((service) => (
                <label key={service.code} className="checkbox">
                  <input type="checkbox" value={service.code} {...form.register('services')} />
                  {service.name[lang]}
                </label>
              ))}
              {errors.services && (
                <p id="services-error" className="field-error">
                  {t(errors.services.message ?? 'ops.validation.code')}
                </p>
              )}
            </fieldset>
          </>
        )}
      </fieldset>
      <label className="checkbox">
        <input type="checkbox" {...form.register('email')} />
        {t('ops.announcements.email')}
      </label>
      <button type="submit" className="primary" disabled={pending}>
        {submitLabel}
      </button>
    </form>
  );
}
