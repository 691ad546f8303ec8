import type { AdminUser } from './types';

export const USERS_PAGE_SIZE = 20;

export interface UserListQuery {
  q: string;
  page: number;
}

/** The list's search and page as they stand in the address (`?q=…&page=…`), so a link or reload keeps them. */
export function readUserListQuery(params: URLSearchParams): UserListQuery {
  const page = Number.parseInt(params.get('page') ?? '1', 10);
  return { q: params.get('q') ?? '', page: Number.isFinite(page) && page > 0 ? page : 1 };
}

/** The address's search parameters for a query; empty values are left out. A new search starts on page 1. */
export function userListParams(query: UserListQuery): Record<string, string> {
  const params: Record<string, string> = {};
  if (query.q.trim()) {
    params.q = query.q.trim();
  }
  if (query.page > 1) {
    params.page = String(query.page);
  }
  return params;
}

/** Width-insensitive, case-insensitive text, so `ＹＡＭＡＤＡ` finds `yamada`. */
function fold(text: string): string {
  return text.normalize('NFKC').toLowerCase();
}

/**
 * The users matching every word of the search in their ID, names, e-mail addresses or phones.
 * `GET /admin/users` answers the whole tenant, so the search and the paging happen here.
 */
export function searchUsers(users: AdminUser[], q: string): AdminUser[] {
  const words = fold(q).split(/\s+/).filter(Boolean);
  if (words.length === 0) {
    return users;
  }
  return users.filter((user) => {
    const haystack = fold(
      [
        user.userId,
        user.familyName,
        user.givenName,
        user.displayName,
        user.email,
        user.notificationEmail,
        user.phone,
        user.title,
      ]
        .filter(Boolean)
        .join(' '),
    );
    return words.every((word) => haystack.includes(word));
  });
}

/** One page of the matches, with the page clamped into range and the page count. */
export function pageOf<T>(
  items: T[],
  page: number,
  size = USERS_PAGE_SIZE,
): { items: T[]; page: number; pages: number } {
  const pages = Math.max(1, Math.ceil(items.length / size));
  const current = Math.min(Math.max(1, page), pages);
  return { items: items.slice((current - 1) * size, current * size), page: current, pages };
}
