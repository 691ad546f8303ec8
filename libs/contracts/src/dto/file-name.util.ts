import { MAX_ATTACHMENT_NAME } from '../rpc/attachments.rpc';

/** Used when nothing of a name is left after cleaning. */
export const FALLBACK_FILE_NAME = 'attachment';

// eslint-disable-next-line no-control-regex -- the point: C0 and C1 controls and DEL
const CONTROLS = /[\u0000-\u001f\u007f-\u009f]/g;
/** Bidirectional overrides and isolates (`invoice\u202Eexe.pdf` shows as `invoicefdp.exe`), zero-width marks. */
const INVISIBLE = /[\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff]/g;
/** Characters Windows refuses in names; replaced so a downloaded file keeps its name everywhere. */
const RESERVED = /[<>:"|?*]/g;

/**
 * The name an attachment is shown and downloaded under, from the name a client sent: NFC, the last
 * path segment only (`..\\..\\x` and `/etc/x` are just `x`), no control or invisible direction
 * characters, no characters Windows refuses, no leading or trailing dots and spaces, at most
 * MAX_ATTACHMENT_NAME characters with the extension kept. The name is only ever a label: storage
 * keys are made from ids.
 */
export function sanitizeFileName(raw: string | undefined): string {
  let name = (raw ?? '')
    .normalize('NFC')
    .replace(/[\t\n\r\f\v]/g, ' ')
    .replace(CONTROLS, '')
    .replace(INVISIBLE, '');
  name = name.split(/[/\\]/).pop() ?? '';
  name = name.replace(RESERVED, '_').replace(/\s+/g, ' ');
  name = name.replace(/^[\s.]+|[\s.]+$/g, '');
  const chars = [...name];
  if (chars.length > MAX_ATTACHMENT_NAME) {
    const dot = name.lastIndexOf('.');
    const extension = dot > 0 ? [...name.slice(dot)] : [];
    const keep = extension.length > 0 && extension.length <= 16 ? extension : [];
    name = [...chars.slice(0, MAX_ATTACHMENT_NAME - keep.length), ...keep].join('');
  }
  // Lone surrogates (a cut inside a pair cannot happen above, but a client may send one) are dropped.
  name = name.replace(/[\ud800-\udfff]/g, (c, i: number, s: string) => (isPaired(s, i) ? c : ''));
  return name === '' ? FALLBACK_FILE_NAME : name;
}

function isPaired(s: string, i: number): boolean {
  const code = s.charCodeAt(i);
  if (code <= 0xdbff) {
    const next = s.charCodeAt(i + 1);
    return next >= 0xdc00 && next <= 0xdfff;
  }
  const previous = s.charCodeAt(i - 1);
  return previous >= 0xd800 && previous <= 0xdbff;
}
