import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { ApiError } from '../api/api-error';
import { AttachmentList, AttachmentUpload } from '../cases/attachments';
import { useApi } from '../session/services';
import { ErrorAlert, Loading, Notice } from '../ui/error-alert';

interface ItemField {
  key: string;
  label: string;
  type: 'text' | 'textarea' | 'select' | 'date' | 'number';
  required: boolean;
  options?: { value: string; label: string }[];
}

interface CatalogueItem {
  id: string;
  code: string;
  name: string;
  description: string;
  fields: ItemField[];
}

interface WorkRequest {
  id: string;
  item: { id: string; code: string; name: string };
  status: 'submitted' | 'accepted' | 'rejected';
  submittedAt: string;
  decidedAt?: string;
  reason?: string;
  caseNumber?: string;
  attachments: { id: string; name: string; size: number; sha256: string; contentType: string }[];
}

/** The form's values as the API takes them: numbers as numbers, empty optional fields left out. */
export function workRequestFields(
  fields: ItemField[],
  values: Record<string, string>,
): Record<string, string | number> {
  const out: Record<string, string | number> = {};
  for (const field of fields) {
    const value = (values[field.key] ?? '').trim();
    if (value === '') {
      continue;
    }
    out[field.key] = field.type === 'number' ? Number(value) : value;
  }
  return out;
}

/** Work requests (CASE-7): the catalogue, a request's form, files for it, and the tenant's requests. */
export function WorkRequestsPage() {
  const { t } = useTranslation();
  const api = useApi();
  const queryClient = useQueryClient();
  const items = useQuery({
    queryKey: ['work-request-items'],
    queryFn: () => api.get<CatalogueItem[]>('/work-request-items'),
  });
  const requests = useQuery({
    queryKey: ['work-requests'],
    queryFn: () => api.get<WorkRequest[]>('/work-requests'),
  });
  const [itemId, setItemId] = useState('');
  const [values, setValues] = useState<Record<string, string>>({});
  const [submitted, setSubmitted] = useState<WorkRequest>();
  const item = items.data?.find((i) => i.id === itemId);
  const submit = useMutation({
    mutationFn: (chosen: CatalogueItem) =>
      api.post<WorkRequest>('/work-requests', {
        itemId: chosen.id,
        fields: workRequestFields(chosen.fields, values),
      }),
    onSuccess: async (request) => {
      setSubmitted(request);
      setValues({});
      await queryClient.invalidateQueries({ queryKey: ['work-requests'] });
    },
  });
  const fieldErrors =
    submit.error instanceof ApiError ? ((submit.error.details.fields ?? {}) as Record<string, string[]>) : {};
  const onSubmit = (e: FormEvent) => {
    e.preventDefault();
    if (item) {
      submit.mutate(item);
    }
  };
  const date = new Intl.DateTimeFormat(t('locale'), { dateStyle: 'medium', timeStyle: 'short' });
  return (
    <div className="stack">
      <h1>{t('workRequests.title')}</h1>
      <section className="card" aria-labelledby="catalogue-title">
        <h2 id="catalogue-title">{t('workRequests.catalogue')}</h2>
        <ErrorAlert error={items.error} />
        {items.isPending ? (
          <Loading />
        ) : (
          <div className="field">
            <label htmlFor="work-item">{t('workRequests.item')}</label>
            <select
              id="work-item"
              value={itemId}
              onChange={(e) => {
                setItemId(e.target.value);
                setValues({});
                setSubmitted(undefined);
                submit.reset();
              }}
            >
              <option value="">{t('cases.filter.choose')}</option>
              {(items.data ?? []).map((i) => (
                <option key={i.id} value={i.id}>
                  {i.code} {i.name}
                </option>
              ))}
            </select>
          </div>
        )}
        {item && !submitted && (
          <form onSubmit={onSubmit}>
            {item.description && <p className="hint">{item.description}</p>}
            <ErrorAlert error={submit.error} />
            {item.fields.map((field) => {
              const id = `work-field-${field.key}`;
              const errors = fieldErrors[`fields.${field.key}`];
              const common = {
                id,
                required: field.required,
                value: values[field.key] ?? '',
                'aria-invalid': errors ? true : undefined,
                onChange: (e: { target: { value: string } }) =>
                  setValues({ ...values, [field.key]: e.target.value }),
              };
              return (
                <div className="field" key={field.key}>
                  <label htmlFor={id}>
                    {field.label}
                    {field.required && <span> {t('workRequests.required')}</span>}
                  </label>
                  {field.type === 'textarea' ? (
                    <textarea rows={4} {...common} />
                  ) : field.type === 'select' ? (
                    <select {...common}>
                      <option value="">{t('cases.filter.choose')}</option>
                      {(field.options ?? []).map((o) => (
                        <option key={o.value} value={o.value}>
                          {o.label}
                        </option>
                      ))}
                    </select>
                  ) : (
                    <input type={field.type === 'text' ? 'text' : field.type} {...common} />
                  )}
                  {errors && <p className="field-error">{errors.join(' ')}</p>}
                </div>
              );
            })}
            <button type="submit" className="primary" disabled={submit.isPending}>
              {t('workRequests.submit')}
            </button>
          </form>
        )}
        {submitted && (
          <div>
            <Notice>{t('workRequests.submitted', { name: submitted.item.name })}</Notice>
            <AttachmentUpload
              path={`/work-requests/${submitted.id}/attachments`}
              onUploaded={() => void queryClient.invalidateQueries({ queryKey: ['work-requests'] })}
            />
          </div>
        )}
      </section>
      <section className="card" aria-labelledby="requests-title">
        <h2 id="requests-title">{t('workRequests.mine')}</h2>
        <ErrorAlert error={requests.error} />
        {requests.isPending ? (
          <Loading />
        ) : requests.data && requests.data.length === 0 ? (
          <p>{t('workRequests.none')}</p>
        ) : (
          <ul className="plain-list">
            {(requests.data ?? []).map((r) => (
              <li key={r.id} className="request">
                <p>
                  <strong>{r.item.name}</strong> · {t(`workRequests.statuses.${r.status}`)} ·{' '}
                  {date.format(new Date(r.submittedAt))}
                </p>
                {r.reason && <p>{t('workRequests.reason', { reason: r.reason })}</p>}
                {r.caseNumber && (
                  <Link to={`/cases/${r.caseNumber}`}>
                    {t('workRequests.case', { number: r.caseNumber })}
                  </Link>
                )}
                {r.attachments.length > 0 && (
                  <AttachmentList items={r.attachments} basePath={`/work-requests/${r.id}/attachments`} />
                )}
              </li>
            ))}
          </ul>
        )}
      </section>
    </div>
  );
}
