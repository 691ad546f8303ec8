import { act, fireEvent, screen } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { fakeFetch, renderWithServices } from '../test/render';
import { AttachmentList, AttachmentUpload, formatSize } from './attachments';
import { percentOf } from './upload';

/** An XMLHttpRequest whose progress and answer the test drives. */
class FakeXhr {
  static last?: FakeXhr;
  upload: { onprogress?: (e: { loaded: number; total: number; lengthComputable: boolean }) => void } = {};
  onload?: () => void;
  onerror?: () => void;
  onabort?: () => void;
  method = '';
  url = '';
  headers: Record<string, string> = {};
  body?: FormData;
  status = 0;
  responseText = '';
  constructor() {
    FakeXhr.last = this;
  }
  open(method: string, url: string) {
    this.method = method;
    this.url = url;
  }
  setRequestHeader(name: string, value: string) {
    this.headers[name] = value;
  }
  send(body: FormData) {
    this.body = body;
  }
  abort() {
    this.onabort?.();
  }
  progress(loaded: number, total: number) {
    act(() => this.upload.onprogress?.({ loaded, total, lengthComputable: true }));
  }
  answer(status: number, body: unknown) {
    this.status = status;
    this.responseText = JSON.stringify(body);
    this.onload?.();
  }
}

function setup() {
  vi.stubGlobal('XMLHttpRequest', FakeXhr);
  const onUploaded = vi.fn();
  renderWithServices(<AttachmentUpload path="/cases/CS0000001/attachments" onUploaded={onUploaded} />, {
    language: 'en',
  });
  const file = new File(['x'.repeat(1000)], 'report.pdf', { type: 'application/pdf' });
  fireEvent.change(screen.getByLabelText('Attach a file'), { target: { files: [file] } });
  return { onUploaded, xhr: FakeXhr.last! };
}

describe('AttachmentUpload', () => {
  afterEach(() => vi.unstubAllGlobals());

  it('sends the file as multipart and shows its progress until the API answers', async () => {
    const { onUploaded, xhr } = setup();
    expect(xhr.method).toBe('POST');
    expect(xhr.url).toBe('/api/v1/cases/CS0000001/attachments');
    expect((xhr.body?.get('file') as File).name).toBe('report.pdf');
    expect(xhr.headers['Accept-Language']).toBe('en');

    xhr.progress(250, 1000);
    const bar = screen.getByRole('progressbar', { name: 'Upload of report.pdf' });
    expect(bar.getAttribute('value')).toBe('25');
    expect(screen.getByText('25%')).toBeTruthy();
    xhr.progress(1000, 1000);
    expect(bar.getAttribute('value')).toBe('100');

    const attachment = {
      id: 'a1',
      name: 'report.pdf',
      size: 1000,
      sha256: 'ab',
      contentType: 'application/pdf',
    };
    await act(async () => xhr.answer(201, attachment));
    expect(screen.queryByRole('progressbar')).toBeNull();
    expect(screen.getByText('report.pdf attached.')).toBeTruthy();
    expect(onUploaded).toHaveBeenCalledWith(attachment);
  });

  it("shows the API's error envelope when the file is refused", async () => {
    const { onUploaded, xhr } = setup();
    await act(async () =>
      xhr.answer(415, {
        error: { code: 'attachment_type_refused', message: 'This type of file is refused.' },
      }),
    );
    expect(screen.getByRole('alert').textContent).toBe('This type of file is refused.');
    expect(onUploaded).not.toHaveBeenCalled();
  });

  it('stops the upload on request and goes back to the chooser', async () => {
    const { xhr } = setup();
    xhr.progress(10, 1000);
    await act(async () => fireEvent.click(screen.getByRole('button', { name: 'Stop the upload' })));
    expect(screen.queryByRole('progressbar')).toBeNull();
    expect(screen.queryByRole('alert')).toBeNull();
  });
});

describe('AttachmentList', () => {
  afterEach(() => vi.restoreAllMocks());
  afterEach(() => vi.unstubAllGlobals());

  const file = {
    id: 'f 1',
    name: '報告書.pdf',
    size: 2 * 1024 ** 3,
    sha256: 'ab',
    contentType: 'application/pdf',
  };

  function setup(status: number, body?: unknown) {
    const api = fakeFetch(() => ({ status, body }));
    vi.stubGlobal('fetch', api.fetch);
    const followed: { href: string; download: string }[] = [];
    vi.spyOn(HTMLAnchorElement.prototype, 'click').mockImplementation(function (this: HTMLAnchorElement) {
      followed.push({ href: this.getAttribute('href') ?? '', download: this.download });
    });
    renderWithServices(<AttachmentList items={[file]} basePath="/cases/CS0000001/attachments" />, {
      language: 'en',
    });
    return { api, followed };
  }

  it('opens a files session, then lets the browser follow a plain link to the file (no blob in memory)', async () => {
    const { api, followed } = setup(204);
    const link = screen.getByRole('link', { name: 'Download 報告書.pdf' });
    expect(link.getAttribute('href')).toBe('/api/v1/cases/CS0000001/attachments/f%201');
    expect(link.getAttribute('download')).toBe('報告書.pdf');
    await act(async () => fireEvent.click(link));
    expect(api.calls.map((c) => [c.init.method, c.url])).toEqual([['POST', '/api/v1/files/session']]);
    expect(followed).toEqual([{ href: '/api/v1/cases/CS0000001/attachments/f%201', download: '報告書.pdf' }]);
    expect(screen.getByText('2 GB')).toBeTruthy();
  });

  it('shows the error and follows no link when the session cannot be opened', async () => {
    const { followed } = setup(503, {
      error: { code: 'service_unavailable', message: 'Try again shortly.' },
    });
    await act(async () => fireEvent.click(screen.getByRole('link', { name: 'Download 報告書.pdf' })));
    // The error's body is read from a Response stream, which may take more than act's microtasks.
    expect((await screen.findByRole('alert')).textContent).toBe('Try again shortly.');
    expect(followed).toEqual([]);
  });
});

describe('sizes and percentages', () => {
  it('reads as people read them', () => {
    expect(percentOf(0, 0)).toBe(0);
    expect(percentOf(999, 1000)).toBe(99);
    expect(percentOf(2000, 1000)).toBe(100);
    expect(formatSize(512, 'en-GB')).toBe('512 B');
    expect(formatSize(1536, 'en-GB')).toBe('1.5 KB');
    expect(formatSize(25 * 1024 * 1024, 'en-GB')).toBe('25 MB');
  });
});
