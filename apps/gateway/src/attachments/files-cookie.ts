import { Role } from '@app/contracts';
import { API_PREFIX } from '../bootstrap/configure-app';

/** The httpOnly cookie that lets a browser stream a file to disk through a plain link. */
export const FILES_COOKIE = 'mamori_files';

/**
 * The paths below which the file downloads of each audience live: the cookie is sent there only,
 * and only the download routes among them (`@BearerFromCookie(FILES_COOKIE)`) read it.
 */
export function filesCookiePaths(role: Role): string[] {
  const areas = ['cases', 'work-requests', 'knowledge'];
  const prefix = role === 'operator' ? `/${API_PREFIX}/ops` : `/${API_PREFIX}`;
  return areas.map((area) => `${prefix}/${area}`);
}
