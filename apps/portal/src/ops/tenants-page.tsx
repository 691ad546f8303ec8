import { zodResolver } from '@hookform/resolvers/zod';
import { useQuery } from '@tanstack/react-query';
import { useForm } from 'react-hook-form';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { z } from 'zod';
import { useApi } from '../session/services';
import { ErrorAlert, Loading, Notice } from '../ui/error-alert';
import { Field } from '../ui/field';
import type { Service, Tenant } from './types';
import { useOpsAction } from './use-ops-action';

export function useTenants() {
  const api = useApi();
  return useQuery({ queryKey: ['ops', 'tenants'], queryFn: () => api.get<Tenant[]>('/ops/tenants') });
}

export function useServicesCatalogue() {
  const api = useApi();
  return useQuery({ queryKey: ['ops', 'services'], queryFn: () => api.get<Service[]>('/ops/services') });
}

const tenantSchema = z.object({
  // Customer numbers are upper case (N202400003); a lower-case entry is taken as meant.
  number: z
    .string()
    .trim()
    .regex(/^[A-Za-z][0-9A-Za-z]{3,19}$/, 'ops.validation.tenantNumber'),
  name: z.string().trim().min(1, 'validation.required').max(200),
});
type TenantForm = z.infer<typeof tenantSchema>;

const serviceSchema = z.object({
  code: z
    .string()
    .trim()
    .regex(/^[a-z][a-z0-9_-]{0,39}$/, 'ops.validation.code'),
  nameJa: z.string().trim().min(1, 'validation.required'),
  nameEn: z.string().trim().min(1, 'validation.required'),
});
type ServiceForm = z.infer<typeof serviceSchema>;

/** CASE-1: every tenant, a new tenant, and the services tenants can contract. */
export function TenantsPage() {
  const { t } = useTranslation();
  const tenants = useTenants();
  return (
    <>
      <h1>{t('ops.tenants.title')}</h1>
      <NewTenant />
      <section className="card" aria-labelledby="tenant-list">
        <h2 id="tenant-list">{t('ops.tenants.list')}</h2>
        <ErrorAlert error={tenants.error} />
        {tenants.isPending ? (
          <Loading />
        ) : tenants.data?.length === 0 ? (
          <p>{t('ops.tenants.none')}</p>
        ) : (
          <ul className="ops-list">
            {tenants.data?.map((tenant) => (
              <li key={tenant.number}>
                <Link to={`/ops/tenants/${tenant.number}`}>
                  {tenant.number} {tenant.name}
                </Link>
              </li>
            ))}
          </ul>
        )}
      </section>
      <ServicesSection />
    </>
  );
}

function NewTenant() {
  const { t } = useTranslation();
  const form = useForm<TenantForm>({
    resolver: zodResolver(tenantSchema),
    defaultValues: { number: '', name: '' },
  });
  const create = useOpsAction(
    (api, values: TenantForm) =>
      api.post<Tenant>('/ops/tenants', { number: values.number.toUpperCase(), name: values.name }),
    [['ops', 'tenants']],
    () => form.reset(),
  );
  const errors = form.formState.errors;
  return (
    <section className="card" aria-labelledby="new-tenant">
      <h2 id="new-tenant">{t('ops.tenants.create')}</h2>
      <form noValidate onSubmit={(e) => void form.handleSubmit((values) => create.mutate(values))(e)}>
        <ErrorAlert error={create.error} />
        {create.isSuccess && <Notice>{t('ops.tenants.created', { number: create.data.number })}</Notice>}
        <div className="ops-grid">
          <Field
            label={t('ops.tenants.number')}
            hint={t('ops.tenants.numberHint')}
            error={errors.number?.message}
            {...form.register('number')}
          />
          <Field label={t('ops.tenants.name')} error={errors.name?.message} {...form.register('name')} />
        </div>
        <button type="submit" className="primary" disabled={create.isPending}>
          {t('ops.tenants.submit')}
        </button>
      </form>
    </section>
  );
}

function ServicesSection() {
  const { t, i18n } = useTranslation();
  const services = useServicesCatalogue();
  const form = useForm<ServiceForm>({
    resolver: zodResolver(serviceSchema),
    defaultValues: { code: '', nameJa: '', nameEn: '' },
  });
  const create = useOpsAction(
    (api, v: ServiceForm) =>
      api.post<Service>('/ops/services', { code: v.code, name: { ja: v.nameJa, en: v.nameEn } }),
    [['ops', 'services']],
    () => form.reset(),
  );
  const errors = form.formState.errors;
  const lang = i18n.resolvedLanguage === 'en' ? 'en' : 'ja';
  return (
    <section className="card" aria-labelledby="services">
      <h2 id="services">{t('ops.services.title')}</h2>
      <ErrorAlert error={services.error} />
      {services.isPending ? (
        <Loading />
      ) : services.data?.length === 0 ? (
        <p>{t('ops.services.none')}</p>
      ) : (
        <ul className="ops-list">
          {services.data?.map((service) => (
            <li key={service.code}>
              {service.name[lang]} <span className="ops-muted">({service.code})</span>
            </li>
          ))}
        </ul>
      )}
      <h3>{t('ops.services.create')}</h3>
      <form noValidate onSubmit={(e) => void form.handleSubmit((v) => create.mutate(v))(e)}>
        <ErrorAlert error={create.error} />
        <Field label={t('ops.services.code')} error={errors.code?.message} {...form.register('code')} />
        <div className="ops-grid">
          <Field
            label={t('ops.services.nameJa')}
            error={errors.nameJa?.message}
            {...form.register('nameJa')}
          />
          <Field
            label={t('ops.services.nameEn')}
            error={errors.nameEn?.message}
            {...form.register('nameEn')}
          />
        </div>
        <button type="submit" disabled={create.isPending}>
          {t('ops.services.submit')}
        </button>
      </form>
    </section>
  );
}
