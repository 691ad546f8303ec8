import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useApi } from '../session/services';
import { ErrorAlert, Notice } from '../ui/error-alert';
import type { CaseView, SavedFilter } from './types';

interface CurrentSearch {
  view: CaseView;
  q?: string;
  filter?: string;
  sort: string;
}

/**
 * Saved filters (CASE-8): the user's private ones and the tenant's shared ones, applied with one
 * choice; the list's current view, keyword, conditions and sort saved under a name (the same name
 * and visibility overwrites it).
 */
export function SavedFilters({
  current,
  onApply,
}: {
  current: CurrentSearch;
  onApply(f: SavedFilter): void;
}) {
  const { t } = useTranslation();
  const api = useApi();
  const queryClient = useQueryClient();
  const filters = useQuery({
    queryKey: ['case-filters'],
    queryFn: () => api.get<SavedFilter[]>('/case-filters'),
  });
  const [selected, setSelected] = useState('');
  const [name, setName] = useState('');
  const [visibility, setVisibility] = useState<'private' | 'tenant'>('private');
  const refresh = () => queryClient.invalidateQueries({ queryKey: ['case-filters'] });
  const save = useMutation({
    mutationFn: () => api.post<SavedFilter>('/case-filters', { name: name.trim(), visibility, ...current }),
    onSuccess: async (saved) => {
      setSelected(saved.id);
      await refresh();
    },
  });
  const remove = useMutation({
    mutationFn: (id: string) => api.delete(`/case-filters/${id}`),
    onSuccess: async () => {
      setSelected('');
      await refresh();
    },
  });
  const chosen = filters.data?.find((f) => f.id === selected);
  return (
    <details className="saved-filters">
      <summary>{t('cases.saved.title')}</summary>
      <ErrorAlert error={filters.error ?? save.error ?? remove.error} />
      <div className="search-row">
        <div className="field">
          <label htmlFor="saved-filter">{t('cases.saved.choose')}</label>
          <select
            id="saved-filter"
            value={selected}
            onChange={(e) => {
              setSelected(e.target.value);
              const filter = filters.data?.find((f) => f.id === e.target.value);
              if (filter) {
                onApply(filter);
              }
            }}
          >
            <option value="">{t('cases.saved.none')}</option>
            {(filters.data ?? []).map((f) => (
              <option key={f.id} value={f.id}>
                {f.name} ({t(`cases.saved.${f.visibility}`)})
              </option>
            ))}
          </select>
        </div>
        {chosen && (
          <button type="button" disabled={remove.isPending} onClick={() => remove.mutate(chosen.id)}>
            {t('cases.saved.delete', { name: chosen.name })}
          </button>
        )}
      </div>
      <form
        className="search-row"
        onSubmit={(e) => {
          e.preventDefault();
          if (name.trim()) {
            save.mutate();
          }
        }}
      >
        <div className="field">
          <label htmlFor="saved-name">{t('cases.saved.name')}</label>
          <input id="saved-name" value={name} maxLength={100} onChange={(e) => setName(e.target.value)} />
        </div>
        <div className="field">
          <label htmlFor="saved-visibility">{t('cases.saved.visibility')}</label>
          <select
            id="saved-visibility"
            value={visibility}
            onChange={(e) => setVisibility(e.target.value as 'private' | 'tenant')}
          >
            <option value="private">{t('cases.saved.private')}</option>
            <option value="tenant">{t('cases.saved.tenant')}</option>
          </select>
        </div>
        <button type="submit" disabled={!name.trim() || save.isPending}>
          {t('cases.saved.save')}
        </button>
      </form>
      {save.isSuccess && <Notice>{t('cases.saved.saved', { name: save.data.name })}</Notice>}
    </details>
  );
}
