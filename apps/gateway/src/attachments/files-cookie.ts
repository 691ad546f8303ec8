import { EXPORT_FORMATS, Role } from '@app/contracts';
import { API_PREFIX } from '../bootstrap/configure-app';

/** The httpOnly cookie that lets a browser stream a file to disk through a plain link. */
export const FILES_COOKIE = 'mamori_files';

/** The `format`s of the login history that are files (`json` is a page of the list). */
export const LOGIN_HISTORY_FILE_FORMATS = EXPORT_FORMATS.filter((format) => format !== 'json');

/** The `format`s of the audit events, every one a file (without `format`, a page of the list). */
export const AUDIT_FILE_FORMATS = EXPORT_FORMATS;

/**
 * The paths below which the file downloads of each audience live: the cookie is sent there only,
 * and only the download routes among them (`@BearerFromCookie(FILES_COOKIE)`) read it. The exports
 * are single routes that also answer JSON pages, so their own paths are named and no more.
 */
export function filesCookiePaths(role: Role): string[] {
  const areas = ['cases', 'work-requests', 'knowledge'];
  const prefix = role === 'operator' ? `/${API_PREFIX}/ops` : `/${API_PREFIX}`;
  const exports = {
    operator: ['ops/audit-events'],
    admin: ['admin/login-history', 'admin/audit-events'],
    user: [],
  } satisfies Record<Role, string[]>;
  return [
    ...areas.map((area) => `${prefix}/${area}`),
    ...['me/login-history', ...exports[role]].map((route) => `/${API_PREFIX}/${route}`),
  ];
}
