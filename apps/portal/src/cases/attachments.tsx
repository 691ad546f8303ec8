import { useId, useRef } from 'react';
import { useTranslation } from 'react-i18next';
import { API_BASE } from '../api/api-client';
import { ErrorAlert, Notice } from '../ui/error-alert';
import { useFileDownload } from '../ui/use-file-download';
import type { Attachment } from './types';
import { percentOf, useUpload } from './upload';

/** 1536 → "1.5 KB": sizes as people read them. */
export function formatSize(bytes: number, locale: string): string {
  const units = ['B', 'KB', 'MB', 'GB'];
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit += 1;
  }
  const digits = unit === 0 || value >= 10 ? 0 : 1;
  return `${value.toLocaleString(locale, { maximumFractionDigits: digits })} ${units[unit]}`;
}

/** A file chooser that uploads at once, with a progress bar while the bytes go out. */
export function AttachmentUpload({ path, onUploaded }: { path: string; onUploaded(a: Attachment): void }) {
  const { t } = useTranslation();
  const inputId = useId();
  const input = useRef<HTMLInputElement>(null);
  const { state, upload, cancel } = useUpload(path, onUploaded);
  const uploading = state.phase === 'uploading';
  return (
    <div className="upload">
      <label htmlFor={inputId}>{t('cases.attachments.choose')}</label>
      <input
        ref={input}
        id={inputId}
        type="file"
        disabled={uploading}
        onChange={(e) => {
          const file = e.target.files?.[0];
          if (file) {
            void upload(file).finally(() => {
              if (input.current) {
                input.current.value = '';
              }
            });
          }
        }}
      />
      {state.phase === 'uploading' && (
        <div className="progress-row">
          <progress
            max={100}
            value={percentOf(state.loaded, state.total)}
            aria-label={t('cases.attachments.progress', { name: state.name })}
          />
          <span aria-live="polite">{percentOf(state.loaded, state.total)}%</span>
          <button type="button" onClick={cancel}>
            {t('cases.attachments.cancel')}
          </button>
        </div>
      )}
      {state.phase === 'done' && <Notice>{t('cases.attachments.uploaded', { name: state.name })}</Notice>}
      {state.phase === 'failed' && <ErrorAlert error={state.error} />}
    </div>
  );
}

/** The files of a case (or a work request or an article), each downloadable. */
export function AttachmentList({ items, basePath }: { items: Attachment[]; basePath: string }) {
  const { t } = useTranslation();
  const download = useFileDownload();
  if (items.length === 0) {
    return <p className="hint">{t('cases.attachments.none')}</p>;
  }
  return (
    <>
      <ErrorAlert error={download.error} />
      <ul className="attachment-list">
        {items.map((a) => {
          const href = `${API_BASE}${basePath}/${encodeURIComponent(a.id)}`;
          return (
            <li key={a.id}>
              <a
                href={href}
                download={a.name}
                aria-label={t('cases.attachments.download', { name: a.name })}
                aria-disabled={download.isPending || undefined}
                onClick={(e) => {
                  // The cookie comes first; the link is then followed as the browser would.
                  e.preventDefault();
                  if (!download.isPending) {
                    download.mutate({ href, name: a.name });
                  }
                }}
              >
                {a.name}
              </a>
              <span className="hint">{formatSize(a.size, t('locale'))}</span>
            </li>
          );
        })}
      </ul>
    </>
  );
}
