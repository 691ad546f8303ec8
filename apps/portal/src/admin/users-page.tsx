import { useTranslation } from 'react-i18next';
import { Link, useSearchParams } from 'react-router';
import { ErrorAlert, Loading } from '../ui/error-alert';
import type { AdminUser } from './types';
import { displayName, useUsers } from './use-users';
import { pageOf, readUserListQuery, searchUsers, userListParams } from './user-search';
import { Pager } from '../ui/pager';

/** AUTH-21: the tenant's users, searched and paged; the search lives in the address. */
export function UsersPage() {
  const { t } = useTranslation();
  const users = useUsers();
  const [params, setParams] = useSearchParams();
  const query = readUserListQuery(params);
  const matches = users.data ? searchUsers(users.data, query.q) : [];
  const shown = pageOf(matches, query.page);
  return (
    <div className="stack">
      <div className="heading-row">
        <h1>{t('admin.users.title')}</h1>
        <Link className="button-link" to="/admin/users/new">
          {t('admin.users.create')}
        </Link>
      </div>
      <form
        role="search"
        className="search-row"
        onSubmit={(e) => {
          e.preventDefault();
          const q = new FormData(e.currentTarget).get('q');
          setParams(userListParams({ q: typeof q === 'string' ? q : '', page: 1 }));
        }}
      >
        <label htmlFor="user-search">{t('admin.users.search')}</label>
        <div className="inline-controls">
          <input id="user-search" name="q" type="search" defaultValue={query.q} key={query.q} />
          <button type="submit">{t('admin.users.searchSubmit')}</button>
        </div>
      </form>
      {users.isPending ? (
        <Loading />
      ) : users.isError ? (
        <ErrorAlert error={users.error} />
      ) : (
        <section className="card" aria-labelledby="users-count">
          <p id="users-count" role="status">
            {t('admin.users.count', { count: matches.length })}
          </p>
          {matches.length === 0 ? (
            <p>{t('admin.users.empty')}</p>
          ) : (
            <>
              <ul className="user-list">
                {shown.items.map((user) => (
                  <li key={user.id}>
                    <Link to={`/admin/users/${user.id}`}>{displayName(user)}</Link>
                    <span className="user-id">{user.userId}</span>
                    <span className="user-email">{user.email}</span>
                    <UserBadges user={user} />
                  </li>
                ))}
              </ul>
              {shown.pages > 1 && (
                <Pager
                  page={shown.page}
                  pages={shown.pages}
                  label={t('admin.users.title')}
                  onPage={(page) => setParams(userListParams({ q: query.q, page }))}
                />
              )}
            </>
          )}
        </section>
      )}
    </div>
  );
}

/** The role and every state that needs the admin's attention, as words (never colour alone). */
export function UserBadges({ user }: { user: AdminUser }) {
  const { t } = useTranslation();
  const states = [
    user.loginDisabled && 'disabled',
    user.locked && 'locked',
    user.emailUndeliverable && 'undeliverable',
  ].filter((s): s is string => Boolean(s));
  return (
    <span className="badges">
      <span className="badge">{t(`admin.users.roles.${user.admin ? 'admin' : 'user'}`)}</span>
      {(states.length ? states : ['active']).map((state) => (
        <span key={state} className={`badge badge-${state}`}>
          {t(`admin.users.states.${state}`)}
        </span>
      ))}
    </span>
  );
}
