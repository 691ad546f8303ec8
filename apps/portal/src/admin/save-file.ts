import type { ApiClient, RequestOptions } from '../api/api-client';

/**
 * Downloads a file the API streams and hands it to the browser. The call carries the token in a
 * header, which a plain link cannot, so the file is saved through an object URL.
 */
export async function saveFile(api: ApiClient, path: string, options: RequestOptions, fallbackName: string) {
  const file = await api.download(path, options);
  const url = URL.createObjectURL(file.blob);
  const link = document.createElement('a');
  link.href = url;
  link.download = file.fileName ?? fallbackName;
  link.click();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}
