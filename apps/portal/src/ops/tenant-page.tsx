import { zodResolver } from '@hookform/resolvers/zod';
import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { useForm } from 'react-hook-form';
import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router';
import { z } from 'zod';
import { LANGUAGES } from '../i18n/i18n';
import { useApi } from '../session/services';
import { ErrorAlert, Loading, Notice } from '../ui/error-alert';
import { Field } from '../ui/field';
import { SelectField } from './fields';
import { useServicesCatalogue, useTenants } from './tenants-page';
import type { Contract, CreatedUser, TenantAdmin } from './types';
import { useOpsAction } from './use-ops-action';

const adminSchema = z.object({
  userId: z.string().trim().min(1, 'validation.required').max(40),
  email: z.string().trim().min(1, 'validation.required').email('validation.email'),
  familyName: z.string().trim().min(1, 'validation.required'),
  givenName: z.string().trim(),
  phone: z
    .string()
    .trim()
    .refine((v) => v === '' || /^\+[1-9][0-9]{6,14}$/.test(v), 'ops.validation.e164'),
  language: z.enum(LANGUAGES),
  mfaRequired: z.boolean(),
});
type AdminForm = z.infer<typeof adminSchema>;

const contractSchema = z.object({
  service: z.string().min(1, 'validation.required'),
  startDate: z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'validation.required'),
  licenceType: z.string().trim().max(100),
  idCount: z
    .string()
    .trim()
    .regex(/^\d{0,8}$/, 'ops.validation.count'),
});
type ContractForm = z.infer<typeof contractSchema>;

/** A contract's terms as the edit form holds them: the service stays, the rest may change. */
const contractTermsSchema = contractSchema.omit({ service: true });
type ContractTermsForm = z.infer<typeof contractTermsSchema>;

/**
 * `PUT /ops/contracts/{id}`: every term the form shows; an emptied field is sent as null, which
 * clears it (leaving it out would keep the old value while the screen showed it gone).
 */
export function contractTermsBody(v: ContractTermsForm) {
  return {
    startDate: v.startDate,
    licenceType: v.licenceType === '' ? null : v.licenceType,
    idCount: v.idCount === '' ? null : Number(v.idCount),
  };
}

/** One tenant (CASE-1): its representative admin and its contracts. */
export function TenantPage() {
  const { t } = useTranslation();
  const { number = '' } = useParams();
  const tenants = useTenants();
  const tenant = tenants.data?.find((x) => x.number === number);
  return (
    <>
      <p>
        <Link to="/ops/tenants">{t('ops.tenants.back')}</Link>
      </p>
      <h1>
        {number} {tenant?.name}
      </h1>
      <p>
        <Link to={`/ops/tenants/${number}/audit-events`}>{t('ops.tenants.audit')}</Link>
      </p>
      <RepresentativeAdmin tenant={number} />
      <Contracts tenant={number} />
    </>
  );
}

/** The tenant's admins, whoever created them, and the form that creates one more. */
export function RepresentativeAdmin({ tenant }: { tenant: string }) {
  const { t } = useTranslation();
  const api = useApi();
  const key = ['ops', 'admins', tenant];
  const admins = useQuery({
    queryKey: key,
    queryFn: () => api.get<TenantAdmin[]>(`/ops/tenants/${tenant}/admins`),
  });
  const [created, setCreated] = useState<CreatedUser[]>([]);
  const form = useForm<AdminForm>({
    resolver: zodResolver(adminSchema),
    defaultValues: {
      userId: '',
      email: '',
      familyName: '',
      givenName: '',
      phone: '',
      language: 'ja',
      mfaRequired: false,
    },
  });
  const create = useOpsAction(
    (api, v: AdminForm) =>
      api.post<CreatedUser>(`/ops/tenants/${tenant}/users`, {
        userId: v.userId,
        email: v.email,
        familyName: v.familyName,
        ...(v.givenName ? { givenName: v.givenName } : {}),
        ...(v.phone ? { phone: v.phone } : {}),
        language: v.language,
        admin: true,
        mfaRequired: v.mfaRequired,
      }),
    [key],
    (user) => {
      setCreated((list) => [...list, user]);
      form.reset();
    },
  );
  const errors = form.formState.errors;
  return (
    <section className="card" aria-labelledby="admins">
      <h2 id="admins">{t('ops.admins.title')}</h2>
      <p className="hint">{t('ops.admins.intro')}</p>
      <ErrorAlert error={admins.error} />
      {admins.isPending ? (
        <Loading />
      ) : admins.data?.length === 0 ? (
        <p>{t('ops.admins.none')}</p>
      ) : (
        <ul className="ops-list" aria-label={t('ops.admins.listLabel')}>
          {admins.data?.map((admin) => (
            <li key={admin.id}>
              {t('ops.admins.row', {
                userId: admin.userId,
                name: [admin.familyName, admin.givenName].filter(Boolean).join(' '),
                email: admin.email,
              })}
              {admin.loginDisabled && <span className="ops-muted"> · {t('ops.admins.disabled')}</span>}
              {admin.locked && <span className="ops-muted"> · {t('ops.admins.locked')}</span>}
            </li>
          ))}
        </ul>
      )}
      {created.length > 0 && (
        <Notice>
          <ul className="ops-list">
            {created.map((user) => (
              <li key={user.id}>
                {t('ops.admins.created', { userId: user.userId, email: user.email })}
                <br />
                <span className="ops-muted">{t('ops.admins.internalId', { id: user.id })}</span>
              </li>
            ))}
          </ul>
        </Notice>
      )}
      <form noValidate onSubmit={(e) => void form.handleSubmit((v) => create.mutate(v))(e)}>
        <ErrorAlert error={create.error} />
        <div className="ops-grid">
          <Field
            label={t('ops.admins.userId')}
            autoComplete="off"
            error={errors.userId?.message}
            {...form.register('userId')}
          />
          <Field
            label={t('ops.admins.email')}
            type="email"
            autoComplete="off"
            error={errors.email?.message}
            {...form.register('email')}
          />
          <Field
            label={t('ops.admins.familyName')}
            error={errors.familyName?.message}
            {...form.register('familyName')}
          />
          <Field label={t('ops.admins.givenName')} {...form.register('givenName')} />
          <Field
            label={t('ops.admins.phone')}
            type="tel"
            hint={t('ops.admins.phoneHint')}
            error={errors.phone?.message}
            {...form.register('phone')}
          />
          <SelectField label={t('ops.admins.language')} {...form.register('language')}>
            {LANGUAGES.map((language) => (
              <option key={language} value={language}>
                {t(`languages.${language}`)}
              </option>
            ))}
          </SelectField>
        </div>
        <label className="checkbox">
          <input type="checkbox" {...form.register('mfaRequired')} />
          {t('ops.admins.mfaRequired')}
        </label>
        <button type="submit" className="primary" disabled={create.isPending}>
          {t('ops.admins.submit')}
        </button>
      </form>
    </section>
  );
}

export function Contracts({ tenant }: { tenant: string }) {
  const { t, i18n } = useTranslation();
  const api = useApi();
  const lang = i18n.resolvedLanguage === 'en' ? 'en' : 'ja';
  const key = ['ops', 'contracts', tenant];
  const contracts = useQuery({
    queryKey: key,
    queryFn: () => api.get<Contract[]>(`/ops/tenants/${tenant}/contracts`),
  });
  const services = useServicesCatalogue();
  const form = useForm<ContractForm>({
    resolver: zodResolver(contractSchema),
    defaultValues: { service: '', startDate: '', licenceType: '', idCount: '' },
  });
  const add = useOpsAction(
    (a, v: ContractForm) =>
      a.post<Contract>(`/ops/tenants/${tenant}/contracts`, {
        service: v.service,
        startDate: v.startDate,
        ...(v.licenceType ? { licenceType: v.licenceType } : {}),
        ...(v.idCount ? { idCount: Number(v.idCount) } : {}),
      }),
    [key],
    () => form.reset(),
  );
  const errors = form.formState.errors;
  const contracted = new Set(contracts.data?.map((c) => c.service));
  return (
    <section className="card" aria-labelledby="contracts">
      <h2 id="contracts">{t('ops.contracts.title')}</h2>
      <ErrorAlert error={contracts.error} />
      {contracts.isPending ? (
        <Loading />
      ) : contracts.data?.length === 0 ? (
        <p>{t('ops.contracts.none')}</p>
      ) : (
        <ul className="ops-list">
          {contracts.data?.map((contract) => (
            <ContractRow key={contract.id} contract={contract} lang={lang} invalidate={key} />
          ))}
        </ul>
      )}
      <h3>{t('ops.contracts.add')}</h3>
      <p className="hint">{t('ops.contracts.noRemoval')}</p>
      <form noValidate onSubmit={(e) => void form.handleSubmit((v) => add.mutate(v))(e)}>
        <ErrorAlert error={add.error ?? services.error} />
        <div className="ops-grid">
          <SelectField
            label={t('ops.contracts.service')}
            error={errors.service?.message}
            {...form.register('service')}
          >
            <option value="">{t('ops.common.choose')}</option>
            {services.data
              ?.filter((s) => !contracted.has(s.code))
              .map((s) => (
                <option key={s.code} value={s.code}>
                  {s.name[lang]}
                </option>
              ))}
          </SelectField>
          <Field
            label={t('ops.contracts.startDate')}
            type="date"
            error={errors.startDate?.message}
            {...form.register('startDate')}
          />
          <Field label={t('ops.contracts.licenceType')} {...form.register('licenceType')} />
          <Field
            label={t('ops.contracts.idCount')}
            inputMode="numeric"
            error={errors.idCount?.message}
            {...form.register('idCount')}
          />
        </div>
        <button type="submit" className="primary" disabled={add.isPending}>
          {t('ops.contracts.submit')}
        </button>
      </form>
    </section>
  );
}

function ContractRow({
  contract,
  lang,
  invalidate,
}: {
  contract: Contract;
  lang: 'ja' | 'en';
  invalidate: string[];
}) {
  const { t } = useTranslation();
  const [editing, setEditing] = useState(false);
  const form = useForm<ContractTermsForm>({
    resolver: zodResolver(contractTermsSchema),
    defaultValues: {
      startDate: contract.startDate.slice(0, 10),
      licenceType: contract.licenceType ?? '',
      idCount: contract.idCount === null ? '' : String(contract.idCount),
    },
  });
  const save = useOpsAction(
    (api, v: ContractTermsForm) =>
      api.request<Contract>('PUT', `/ops/contracts/${contract.id}`, { body: contractTermsBody(v) }),
    [invalidate],
    () => setEditing(false),
  );
  const label = contract.serviceName[lang];
  return (
    <li>
      <div className="ops-row">
        <strong>{label}</strong>
        <span className="ops-muted">
          {t('ops.contracts.summary', {
            startDate: contract.startDate.slice(0, 10),
            licenceType: contract.licenceType ?? '—',
            idCount: contract.idCount ?? '—',
          })}
        </span>
        <button type="button" aria-expanded={editing} onClick={() => setEditing(!editing)}>
          {t('ops.contracts.edit', { service: label })}
        </button>
      </div>
      {editing && (
        <form noValidate onSubmit={(e) => void form.handleSubmit((v) => save.mutate(v))(e)}>
          <ErrorAlert error={save.error} />
          <div className="ops-grid">
            <Field
              label={t('ops.contracts.startDate')}
              type="date"
              error={form.formState.errors.startDate?.message}
              {...form.register('startDate')}
            />
            <Field label={t('ops.contracts.licenceType')} {...form.register('licenceType')} />
            <Field
              label={t('ops.contracts.idCount')}
              inputMode="numeric"
              error={form.formState.errors.idCount?.message}
              {...form.register('idCount')}
            />
          </div>
          <button type="submit" disabled={save.isPending}>
            {t('common.save')}
          </button>
        </form>
      )}
    </li>
  );
}
