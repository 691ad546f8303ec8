import { useMutation } from '@tanstack/react-query';
import { useApi } from '../session/services';

/**
 * Saves a file the API streams by following a plain link, so the browser writes it to disk as it
 * arrives (a 2 GiB attachment or a 100,000-event export never sits in the page's memory). A link
 * cannot send the Authorization header: `POST /files/session` first puts the token into an
 * httpOnly cookie that only the downloads and exports read, on GET only, and that ends with the token.
 */
export function useFileDownload() {
  const api = useApi();
  return useMutation({
    mutationFn: async ({ href, name }: { href: string; name: string }) => {
      await api.post('/files/session');
      const link = document.createElement('a');
      link.href = href;
      // The API's Content-Disposition names the file; this is the name when it does not.
      link.download = name;
      link.click();
    },
  });
}
