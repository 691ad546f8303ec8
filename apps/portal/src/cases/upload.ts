import { useCallback, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { API_BASE } from '../api/api-client';
import { NetworkError, toApiError } from '../api/api-error';
import { currentLanguage } from '../i18n/i18n';
import { useServices } from '../session/services';
import type { Attachment } from './types';

export interface UploadRequest {
  /** An API path taking a multipart `file`, e.g. `/cases/CS0000001/attachments`. */
  path: string;
  file: File;
  token?: string;
  language: string;
  onProgress(loaded: number, total: number): void;
  signal?: AbortSignal;
}

/** Thrown when the upload was stopped on purpose. */
export class UploadAborted extends Error {
  constructor() {
    super('upload aborted');
    this.name = 'UploadAborted';
  }
}

/**
 * One multipart upload with XMLHttpRequest, whose `upload.onprogress` reports the bytes sent (fetch
 * has no upload progress). The file is streamed by the browser from disk; the answer is the API's
 * JSON, or its error envelope as an ApiError.
 */
export function sendFile<T>(request: UploadRequest): Promise<{ status: number; body: T }> {
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open('POST', API_BASE + request.path);
    xhr.setRequestHeader('Accept', 'application/json');
    xhr.setRequestHeader('Accept-Language', request.language);
    if (request.token) {
      xhr.setRequestHeader('Authorization', `Bearer ${request.token}`);
    }
    xhr.upload.onprogress = (event) => {
      request.onProgress(event.loaded, event.lengthComputable ? event.total : request.file.size);
    };
    xhr.onload = () => {
      let body: unknown;
      try {
        body = xhr.responseText ? (JSON.parse(xhr.responseText) as unknown) : undefined;
      } catch {
        body = undefined;
      }
      if (xhr.status >= 200 && xhr.status < 300) {
        request.onProgress(request.file.size, request.file.size);
      }
      resolve({ status: xhr.status, body: body as T });
    };
    xhr.onerror = () => reject(new NetworkError(new Error('upload failed')));
    xhr.onabort = () => reject(new UploadAborted());
    request.signal?.addEventListener('abort', () => xhr.abort(), { once: true });
    const form = new FormData();
    form.append('file', request.file, request.file.name);
    xhr.send(form);
  });
}

export type UploadState =
  | { phase: 'idle' }
  | { phase: 'uploading'; name: string; loaded: number; total: number }
  | { phase: 'done'; name: string; attachment: Attachment }
  | { phase: 'failed'; name: string; error: unknown };

/** Whole percent of an upload, 0–100. */
export function percentOf(loaded: number, total: number): number {
  if (total <= 0) {
    return 0;
  }
  return Math.min(100, Math.floor((loaded / total) * 100));
}

/**
 * Uploads one file at a time with its progress. An access token that ran out is renewed once and
 * the upload repeated, as the API client does for other calls.
 */
export function useUpload(path: string, onDone?: (attachment: Attachment) => void) {
  const { session } = useServices();
  const { i18n } = useTranslation();
  const [state, setState] = useState<UploadState>({ phase: 'idle' });
  const controller = useRef<AbortController | undefined>(undefined);

  const upload = useCallback(
    async (file: File) => {
      controller.current = new AbortController();
      const attempt = () =>
        sendFile<Attachment>({
          path,
          file,
          token: session.accessToken,
          language: currentLanguage(i18n),
          signal: controller.current?.signal,
          onProgress: (loaded, total) => setState({ phase: 'uploading', name: file.name, loaded, total }),
        });
      setState({ phase: 'uploading', name: file.name, loaded: 0, total: file.size });
      try {
        let answer = await attempt();
        if (answer.status === 401 && session.accessToken && (await session.renew())) {
          answer = await attempt();
        }
        if (answer.status < 200 || answer.status >= 300) {
          throw toApiError(answer.status, answer.body);
        }
        setState({ phase: 'done', name: file.name, attachment: answer.body });
        onDone?.(answer.body);
      } catch (error) {
        setState(
          error instanceof UploadAborted ? { phase: 'idle' } : { phase: 'failed', name: file.name, error },
        );
      }
    },
    [path, session, i18n, onDone],
  );

  const cancel = useCallback(() => controller.current?.abort(), []);
  return { state, upload, cancel };
}
