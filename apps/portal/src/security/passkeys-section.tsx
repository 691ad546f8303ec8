import { browserSupportsWebAuthn, startRegistration } from '@simplewebauthn/browser';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useApi } from '../session/services';
import { useStepUp } from '../step-up/step-up';
import { ErrorAlert, Loading, Notice } from '../ui/error-alert';
import { Field } from '../ui/field';
import { ConfirmButton } from './confirm-button';
import { PasskeyErrorAlert, PasskeysUnsupportedError } from './passkey-error';
import type { Passkey, PasskeyRegistrationOptions } from './types';
import { useWhen } from './use-when';

const PASSKEYS = ['me', 'passkeys'] as const;

/** AUTH-10: the user's passkeys; adding, renaming and removing one need a fresh second step. */
export function PasskeysSection() {
  const { t } = useTranslation();
  const api = useApi();
  const withStepUp = useStepUp();
  const queryClient = useQueryClient();
  const when = useWhen();
  const [name, setName] = useState('');
  const [nameError, setNameError] = useState<string>();
  const list = useQuery({ queryKey: PASSKEYS, queryFn: () => api.get<Passkey[]>('/me/passkeys') });
  const refresh = () =>
    Promise.all([
      queryClient.invalidateQueries({ queryKey: PASSKEYS }),
      queryClient.invalidateQueries({ queryKey: ['me', 'security'] }),
    ]);

  const register = useMutation({
    mutationFn: async (passkeyName: string) => {
      if (!browserSupportsWebAuthn()) {
        throw new PasskeysUnsupportedError();
      }
      const { options } = await withStepUp(() =>
        api.post<PasskeyRegistrationOptions>('/me/passkeys/options'),
      );
      const credential = await startRegistration({ optionsJSON: options });
      return withStepUp(() => api.post<Passkey>('/me/passkeys', { name: passkeyName, credential }));
    },
    onSuccess: async () => {
      setName('');
      await refresh();
    },
  });

  return (
    <section aria-labelledby="passkeys-title" className="card">
      <h2 id="passkeys-title">{t('security.passkeys.title')}</h2>
      <p>{t('security.passkeys.intro')}</p>
      <form
        onSubmit={(e) => {
          e.preventDefault();
          const trimmed = name.trim();
          setNameError(trimmed ? undefined : 'validation.required');
          if (trimmed) {
            register.mutate(trimmed);
          }
        }}
        noValidate
      >
        <PasskeyErrorAlert error={register.error} />
        {register.isSuccess && <Notice>{t('security.passkeys.registered')}</Notice>}
        <Field
          label={t('security.passkeys.name')}
          placeholder={t('security.passkeys.namePlaceholder')}
          maxLength={100}
          value={name}
          error={nameError}
          onChange={(e) => setName(e.target.value)}
        />
        <button type="submit" className="primary" disabled={register.isPending}>
          {t('security.passkeys.register')}
        </button>
      </form>
      {list.isPending ? (
        <Loading />
      ) : list.isError ? (
        <ErrorAlert error={list.error} />
      ) : list.data.length === 0 ? (
        <p>{t('security.passkeys.none')}</p>
      ) : (
        <ul className="items" aria-label={t('security.passkeys.listLabel')}>
          {list.data.map((passkey) => (
            <PasskeyItem key={passkey.id} passkey={passkey} when={when} onChanged={refresh} />
          ))}
        </ul>
      )}
    </section>
  );
}

function PasskeyItem({
  passkey,
  when,
  onChanged,
}: {
  passkey: Passkey;
  when(iso: string): string;
  onChanged(): Promise<unknown>;
}) {
  const { t } = useTranslation();
  const api = useApi();
  const withStepUp = useStepUp();
  const [renaming, setRenaming] = useState(false);
  const [newName, setNewName] = useState(passkey.name);
  const rename = useMutation({
    mutationFn: (name: string) =>
      withStepUp(() => api.patch<Passkey>(`/me/passkeys/${passkey.id}`, { name })),
    onSuccess: async () => {
      setRenaming(false);
      await onChanged();
    },
  });
  const remove = useMutation({
    mutationFn: () => withStepUp(() => api.delete<void>(`/me/passkeys/${passkey.id}`)),
    onSuccess: onChanged,
  });
  return (
    <li className="item" data-passkey={passkey.id}>
      <strong className="item-name">{passkey.name}</strong>
      <span className="hint">
        {t('security.createdAt', { when: when(passkey.createdAt) })} ·{' '}
        {passkey.lastUsedAt
          ? t('security.lastUsedAt', { when: when(passkey.lastUsedAt) })
          : t('security.neverUsed')}
      </span>
      <ErrorAlert error={rename.error ?? remove.error} />
      {renaming ? (
        <form
          onSubmit={(e) => {
            e.preventDefault();
            if (newName.trim()) {
              rename.mutate(newName.trim());
            }
          }}
        >
          <Field
            label={t('security.passkeys.newName')}
            maxLength={100}
            value={newName}
            onChange={(e) => setNewName(e.target.value)}
          />
          <div className="actions">
            <button type="submit" disabled={rename.isPending || !newName.trim()}>
              {t('common.save')}
            </button>
            <button type="button" onClick={() => setRenaming(false)}>
              {t('common.cancel')}
            </button>
          </div>
        </form>
      ) : (
        <div className="actions">
          <button
            type="button"
            aria-label={`${t('security.rename')}: ${passkey.name}`}
            onClick={() => {
              setNewName(passkey.name);
              setRenaming(true);
            }}
          >
            {t('security.rename')}
          </button>
          <ConfirmButton
            label={t('security.remove')}
            question={t('security.passkeys.removeConfirm', { name: passkey.name })}
            disabled={remove.isPending}
            onConfirm={() => remove.mutate()}
          />
        </div>
      )}
    </li>
  );
}
