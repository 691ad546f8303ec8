import { zodResolver } from '@hookform/resolvers/zod';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useForm, type UseFormRegister } from 'react-hook-form';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { z } from 'zod';
import { usePasswordPolicy } from '../password/use-password-policy';
import { useApi } from '../session/services';
import { useStepUp } from '../step-up/step-up';
import { ErrorAlert, Notice } from '../ui/error-alert';
import { Field } from '../ui/field';
import type { AdminUser } from './types';
import { UserFields } from './user-fields';
import {
  createBody,
  createUserSchema,
  EMPTY_USER,
  generateInitialPassword,
  type CreateUserForm,
  type EditUserForm,
} from './user-form';

interface Created {
  user: AdminUser;
  /** Shown once, on this screen only: the API never gives it back. */
  initialPassword?: string;
}

/** AUTH-21: a new user of the tenant, with the ID the API suggests for the e-mail address (AUTH-1). */
export function UserCreatePage() {
  const { t } = useTranslation();
  const [created, setCreated] = useState<Created>();
  if (created) {
    return (
      <div className="stack">
        <h1>{t('admin.create.title')}</h1>
        <section className="card">
          <Notice>{t('admin.create.created', { userId: created.user.userId })}</Notice>
          {created.initialPassword && (
            <div className="once">
              <p>{t('admin.create.initialPasswordOnce')}</p>
              <p>
                <code className="secret" data-testid="initial-password">
                  {created.initialPassword}
                </code>
              </p>
              <p className="hint">{t('admin.create.initialPasswordWarning')}</p>
            </div>
          )}
          <div className="actions">
            <Link to={`/admin/users/${created.user.id}`}>{t('admin.create.open')}</Link>
            <button type="button" onClick={() => setCreated(undefined)}>
              {t('admin.create.another')}
            </button>
          </div>
        </section>
      </div>
    );
  }
  return <CreateForm onCreated={setCreated} />;
}

function CreateForm({ onCreated }: { onCreated: (created: Created) => void }) {
  const { t } = useTranslation();
  const api = useApi();
  const queryClient = useQueryClient();
  const withStepUp = useStepUp();
  const policy = usePasswordPolicy();
  const form = useForm<CreateUserForm>({
    resolver: zodResolver(createUserSchema),
    defaultValues: EMPTY_USER,
  });
  const [suggestFor, setSuggestFor] = useState<string>();
  const suggestion = useQuery({
    queryKey: ['admin', 'suggested-id', suggestFor],
    queryFn: () => api.get<{ userId: string }>('/admin/users/suggested-id', { query: { email: suggestFor } }),
    enabled: suggestFor !== undefined,
    staleTime: Infinity,
  });
  const suggested = suggestFor !== undefined ? suggestion.data?.userId : undefined;
  const create = useMutation({
    mutationFn: (values: CreateUserForm) =>
      withStepUp(() => api.post<AdminUser>('/admin/users', createBody(values))),
    onSuccess: async (user, values) => {
      await queryClient.invalidateQueries({ queryKey: ['admin', 'users'] });
      onCreated({ user, initialPassword: values.admin ? values.initialPassword : undefined });
    },
  });
  const errors = form.formState.errors;
  const admin = form.watch('admin');
  const generate = () =>
    form.setValue('initialPassword', generateInitialPassword(policy.data?.symbols || undefined), {
      shouldValidate: form.formState.isSubmitted,
    });
  return (
    <div className="stack">
      <h1>{t('admin.create.title')}</h1>
      <form
        className="card"
        noValidate
        onSubmit={(e) => void form.handleSubmit((values) => create.mutate(values))(e)}
      >
        <ErrorAlert error={create.error} />
        <UserFields
          // The create form has every field of the edit form, and two more.
          register={form.register as unknown as UseFormRegister<EditUserForm>}
          errors={errors}
          idPrefix="create"
          onEmailBlur={(email) => {
            const valid = z.email().safeParse(email.trim());
            setSuggestFor(valid.success ? valid.data : undefined);
          }}
          afterEmail={
            <>
              <Field
                label={t('admin.form.userId')}
                autoComplete="off"
                hint={suggested ? t('admin.form.suggested', { userId: suggested }) : undefined}
                error={errors.userId?.message}
                {...form.register('userId')}
              />
              {suggested && (
                <button
                  type="button"
                  className="link suggest"
                  onClick={() => form.setValue('userId', suggested, { shouldValidate: true })}
                >
                  {t('admin.form.useSuggested')}
                </button>
              )}
            </>
          }
        />
        {admin && (
          <div className="inline-field">
            <Field
              label={t('admin.form.initialPassword')}
              autoComplete="off"
              spellCheck={false}
              hint={t('admin.form.initialPasswordHint')}
              error={errors.initialPassword?.message}
              {...form.register('initialPassword')}
            />
            <button type="button" onClick={generate}>
              {t('admin.form.generate')}
            </button>
          </div>
        )}
        <button type="submit" className="primary" disabled={create.isPending}>
          {t('admin.create.submit')}
        </button>
      </form>
    </div>
  );
}
