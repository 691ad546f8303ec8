import { zodResolver } from '@hookform/resolvers/zod';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useForm } from 'react-hook-form';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate } from 'react-router';
import { z } from 'zod';
import { ApiError } from '../api/api-error';
import { useApi } from '../session/services';
import { ErrorAlert, Loading } from '../ui/error-alert';
import { Field } from '../ui/field';
import { useCaseCategories, useServiceSettings } from './labels';
import { textToHtml } from './rich-text';
import type { CaseSummary } from './types';

export const inquirySchema = z.object({
  service: z.string().min(1, 'cases.new.pickService'),
  category: z.string({ message: 'cases.new.pickCategory' }).min(1, 'cases.new.pickCategory'),
  subject: z.string().trim().min(1, 'validation.required').max(200, 'cases.new.subjectTooLong'),
  description: z.string().trim().min(1, 'validation.required').max(20_000, 'cases.new.descriptionTooLong'),
});
export type InquiryForm = z.infer<typeof inquirySchema>;

/** The case that blocks a new inquiry (CASE-4: one open inquiry per tenant and service), if that is the error. */
export function blockingCase(error: unknown): string | undefined {
  if (error instanceof ApiError && error.code === 'open_inquiry_exists') {
    const number = error.details.number;
    return typeof number === 'string' ? number : '';
  }
  return undefined;
}

/** A new inquiry: a contracted service, a customer category, a subject and a description. */
export function NewInquiryPage() {
  const { t } = useTranslation();
  const api = useApi();
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const services = useServiceSettings();
  const categories = useCaseCategories();
  const form = useForm<InquiryForm>({
    resolver: zodResolver(inquirySchema),
    defaultValues: { service: '', category: undefined, subject: '', description: '' },
  });
  const create = useMutation({
    mutationFn: (values: InquiryForm) =>
      api.post<CaseSummary>('/cases', { ...values, description: textToHtml(values.description) }),
    onSuccess: async (created) => {
      await queryClient.invalidateQueries({ queryKey: ['cases'] });
      void navigate(`/cases/${created.number}`);
    },
  });
  const errors = form.formState.errors;
  const blocking = blockingCase(create.error);
  return (
    <div className="card narrow-wide">
      <Link to="/cases">{t('cases.backToList')}</Link>
      <h1>{t('cases.new.title')}</h1>
      <p className="hint">{t('cases.new.intro')}</p>
      {blocking !== undefined ? (
        <div role="alert" className="alert alert-error">
          <p>{t('cases.new.openInquiry')}</p>
          {blocking && (
            <Link to={`/cases/${blocking}`}>{t('cases.new.openBlocking', { number: blocking })}</Link>
          )}
        </div>
      ) : (
        <ErrorAlert error={create.error} />
      )}
      {services.isPending || categories.isPending ? (
        <Loading />
      ) : (
        <form onSubmit={(e) => void form.handleSubmit((values) => create.mutate(values))(e)} noValidate>
          <ErrorAlert error={services.error ?? categories.error} />
          <div className="field">
            <label htmlFor="inquiry-service">{t('cases.columns.service')}</label>
            <select
              id="inquiry-service"
              aria-invalid={errors.service ? true : undefined}
              aria-describedby={errors.service ? 'inquiry-service-error' : undefined}
              {...form.register('service')}
            >
              <option value="">{t('cases.filter.choose')}</option>
              {(services.data ?? []).map((s) => (
                <option key={s.id} value={s.serviceCode}>
                  {s.service}
                </option>
              ))}
            </select>
            {errors.service?.message && (
              <p id="inquiry-service-error" className="field-error">
                {t(errors.service.message)}
              </p>
            )}
          </div>
          <fieldset
            className="field radio-group"
            aria-describedby={errors.category ? 'inquiry-category-error' : undefined}
          >
            <legend>{t('cases.columns.category')}</legend>
            {(categories.data ?? []).map((c) => (
              <label key={c.code} className="checkbox">
                <input type="radio" value={c.code} {...form.register('category')} />
                {categories.labelOf(c)}
              </label>
            ))}
            {errors.category?.message && (
              <p id="inquiry-category-error" className="field-error">
                {t(errors.category.message)}
              </p>
            )}
          </fieldset>
          <Field
            label={t('cases.columns.subject')}
            error={errors.subject?.message}
            {...form.register('subject')}
          />
          <div className="field">
            <label htmlFor="inquiry-description">{t('cases.detail.description')}</label>
            <textarea
              id="inquiry-description"
              rows={6}
              aria-invalid={errors.description ? true : undefined}
              aria-describedby={errors.description ? 'inquiry-description-error' : undefined}
              {...form.register('description')}
            />
            {errors.description?.message && (
              <p id="inquiry-description-error" className="field-error">
                {t(errors.description.message)}
              </p>
            )}
          </div>
          <button type="submit" className="primary" disabled={create.isPending}>
            {t('cases.new.submit')}
          </button>
        </form>
      )}
    </div>
  );
}
