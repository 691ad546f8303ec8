import { zodResolver } from '@hookform/resolvers/zod';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useForm } from 'react-hook-form';
import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router';
import { z } from 'zod';
import { useApi } from '../session/services';
import { useStepUp } from '../step-up/step-up';
import { ErrorAlert, Loading, Notice } from '../ui/error-alert';
import { Field } from '../ui/field';
import type { AdminUser } from './types';
import { UserFields } from './user-fields';
import { editChanges, editUserSchema, editValues, userIdSchema, type EditUserForm } from './user-form';
import { UserBadges } from './users-page';
import { displayName } from './use-users';

/** One user of the tenant and everything an admin may do to them (AUTH-21, AUTH-3, AUTH-4, AUTH-7, NOTIF-6). */
export function UserDetailPage() {
  const { t } = useTranslation();
  const { id = '' } = useParams();
  const api = useApi();
  const user = useQuery({
    queryKey: ['admin', 'users', id],
    queryFn: () => api.get<AdminUser>(`/admin/users/${encodeURIComponent(id)}`),
  });
  const when = new Intl.DateTimeFormat(t('locale'), { dateStyle: 'medium', timeStyle: 'short' });
  return (
    <div className="stack">
      <Link to="/admin/users">{t('admin.detail.back')}</Link>
      {user.isPending ? (
        <Loading />
      ) : user.isError ? (
        <ErrorAlert error={user.error} />
      ) : (
        <>
          <h1>{displayName(user.data)}</h1>
          <dl className="facts">
            <dt>{t('admin.form.userId')}</dt>
            <dd data-testid="user-id">{user.data.userId}</dd>
            <dt>{t('admin.users.status')}</dt>
            <dd>
              <UserBadges user={user.data} />
            </dd>
            <dt>{t('admin.detail.createdAt')}</dt>
            <dd>{when.format(new Date(user.data.createdAt))}</dd>
          </dl>
          {/* Keyed by the user, so another user's page starts from that user's values. */}
          <ProfileCard key={`profile-${user.data.id}`} user={user.data} />
          <UserIdCard key={`user-id-${user.data.id}`} user={user.data} />
          <LoginCard user={user.data} />
          <NotificationCard key={`notify-${user.data.id}`} user={user.data} />
        </>
      )}
    </div>
  );
}

/**
 * A change to the user, through the step-up when the last second step is older than 10 minutes
 * (AUTH-12); the answer (or a fresh read) replaces what the screens show of the user.
 */
function useUserChange<T>(user: AdminUser, call: (value: T) => Promise<AdminUser | undefined>) {
  const queryClient = useQueryClient();
  const withStepUp = useStepUp();
  return useMutation({
    mutationFn: (value: T) => withStepUp(() => call(value)),
    onSuccess: async (updated) => {
      if (updated) {
        queryClient.setQueryData(['admin', 'users', user.id], updated);
      }
      await queryClient.invalidateQueries({ queryKey: ['admin', 'users'] });
    },
  });
}

function ProfileCard({ user }: { user: AdminUser }) {
  const { t } = useTranslation();
  const api = useApi();
  const form = useForm<EditUserForm>({
    resolver: zodResolver(editUserSchema),
    defaultValues: editValues(user),
  });
  const [unchanged, setUnchanged] = useState(false);
  const save = useUserChange(user, (changes: Record<string, unknown>) =>
    api.patch<AdminUser>(`/admin/users/${user.id}`, changes),
  );
  return (
    <section className="card" aria-labelledby="profile-title">
      <h2 id="profile-title">{t('admin.detail.profile')}</h2>
      <form
        noValidate
        onSubmit={(e) =>
          void form.handleSubmit((values) => {
            const changes = editChanges(user, values);
            setUnchanged(Object.keys(changes).length === 0);
            if (Object.keys(changes).length > 0) {
              save.mutate(changes);
            }
          })(e)
        }
      >
        <ErrorAlert error={save.error} />
        {save.isSuccess && <Notice>{t('admin.detail.saved')}</Notice>}
        {unchanged && <Notice>{t('admin.detail.nothingChanged')}</Notice>}
        <UserFields register={form.register} errors={form.formState.errors} idPrefix="edit" />
        <button type="submit" className="primary" disabled={save.isPending}>
          {t('common.save')}
        </button>
      </form>
    </section>
  );
}

const userIdForm = z.object({ userId: userIdSchema });

function UserIdCard({ user }: { user: AdminUser }) {
  const { t } = useTranslation();
  const api = useApi();
  const form = useForm<{ userId: string }>({
    resolver: zodResolver(userIdForm),
    defaultValues: { userId: user.userId },
  });
  const change = useUserChange(user, (userId: string) =>
    api.request<AdminUser>('PUT', `/admin/users/${user.id}/user-id`, { body: { userId } }),
  );
  return (
    <section className="card" aria-labelledby="user-id-title">
      <h2 id="user-id-title">{t('admin.detail.changeUserId')}</h2>
      <form noValidate onSubmit={(e) => void form.handleSubmit((v) => change.mutate(v.userId))(e)}>
        <ErrorAlert error={change.error} />
        {change.isSuccess && <Notice>{t('admin.detail.userIdChanged')}</Notice>}
        <Field
          label={t('admin.detail.newUserId')}
          autoComplete="off"
          error={form.formState.errors.userId?.message}
          {...form.register('userId')}
        />
        <button type="submit" disabled={change.isPending}>
          {t('admin.detail.changeUserIdSubmit')}
        </button>
      </form>
    </section>
  );
}

type LoginAction = 'disable' | 'enable' | 'unlock' | 'email-deliverable';

function LoginCard({ user }: { user: AdminUser }) {
  const { t } = useTranslation();
  const api = useApi();
  const act = useUserChange(user, async (action: LoginAction) => {
    await api.post(`/admin/users/${user.id}/${action}`);
    return undefined;
  });
  return (
    <section className="card" aria-labelledby="login-title">
      <h2 id="login-title">{t('admin.detail.login')}</h2>
      <ErrorAlert error={act.error} />
      {act.isSuccess && <Notice>{t('admin.detail.done')}</Notice>}
      <div className="action-row">
        <p>{t(user.loginDisabled ? 'admin.detail.disabledNote' : 'admin.detail.enabledNote')}</p>
        <button
          type="button"
          disabled={act.isPending}
          onClick={() => act.mutate(user.loginDisabled ? 'enable' : 'disable')}
        >
          {t(user.loginDisabled ? 'admin.detail.enable' : 'admin.detail.disable')}
        </button>
      </div>
      <div className="action-row">
        <p>{t(user.locked ? 'admin.detail.lockedNote' : 'admin.detail.notLockedNote')}</p>
        {user.locked && (
          <button type="button" disabled={act.isPending} onClick={() => act.mutate('unlock')}>
            {t('admin.detail.unlock')}
          </button>
        )}
      </div>
      <div className="action-row">
        <p>
          {t(user.emailUndeliverable ? 'admin.detail.undeliverable' : 'admin.detail.deliverable', {
            email: user.email,
          })}
        </p>
        {user.emailUndeliverable && (
          <button type="button" disabled={act.isPending} onClick={() => act.mutate('email-deliverable')}>
            {t('admin.detail.markDeliverable')}
          </button>
        )}
      </div>
    </section>
  );
}

const notificationForm = z.object({
  email: z.union([z.literal(''), z.email('validation.email')]),
});

function NotificationCard({ user }: { user: AdminUser }) {
  const { t } = useTranslation();
  const api = useApi();
  const form = useForm<{ email: string }>({
    resolver: zodResolver(notificationForm),
    defaultValues: { email: user.notificationEmail ?? '' },
  });
  const save = useUserChange(user, (email: string | null) =>
    api.request<AdminUser>('PUT', `/admin/users/${user.id}/notification-email`, { body: { email } }),
  );
  return (
    <section className="card" aria-labelledby="notify-title">
      <h2 id="notify-title">{t('admin.detail.notification')}</h2>
      <form
        noValidate
        onSubmit={(e) => void form.handleSubmit((v) => save.mutate(v.email.trim() || null))(e)}
      >
        <ErrorAlert error={save.error} />
        {save.isSuccess && <Notice>{t('admin.detail.notificationSaved')}</Notice>}
        <Field
          label={t('admin.detail.notificationEmail')}
          type="email"
          autoComplete="off"
          hint={t('admin.detail.notificationHint')}
          error={form.formState.errors.email?.message}
          {...form.register('email')}
        />
        <button type="submit" disabled={save.isPending}>
          {t('common.save')}
        </button>
      </form>
    </section>
  );
}
