import { fromBuffer } from 'file-type';

/**
 * How many leading bytes decide a type: what file-type reads for every format it knows (ZIP-based
 * Office files and tar headers lie deepest).
 */
export const SNIFF_BYTES = 4100;

/**
 * The media type of an attachment from its first bytes, never from its name or the client's
 * Content-Type: a format file-type recognises by its signature; otherwise `text/plain` for valid
 * UTF-8 without NUL, else `application/octet-stream`.
 */
export async function sniffMediaType(head: Buffer): Promise<string> {
  const program = PROGRAMS.find((p) => p.signatures.some((signature) => startsWith(head, signature)));
  if (program) {
    return program.mime;
  }
  const known = await fromBuffer(head);
  if (known) {
    return known.mime;
  }
  return looksLikeText(head) ? 'text/plain' : 'application/octet-stream';
}

/**
 * Programs the deny list is about that file-type (the last release usable from CommonJS) does not
 * know: Linux and macOS executables, and scripts that name their interpreter.
 */
const PROGRAMS: { mime: string; signatures: number[][] }[] = [
  { mime: 'application/x-elf', signatures: [[0x7f, 0x45, 0x4c, 0x46]] },
  {
    mime: 'application/x-mach-binary',
    signatures: [
      [0xfe, 0xed, 0xfa, 0xce],
      [0xfe, 0xed, 0xfa, 0xcf],
      [0xce, 0xfa, 0xed, 0xfe],
      [0xcf, 0xfa, 0xed, 0xfe],
    ],
  },
  { mime: 'text/x-shellscript', signatures: [[0x23, 0x21]] },
];

function startsWith(head: Buffer, signature: number[]): boolean {
  return head.length >= signature.length && signature.every((byte, i) => head[i] === byte);
}

function looksLikeText(head: Buffer): boolean {
  if (head.length === 0 || head.includes(0)) {
    return false;
  }
  try {
    // `stream: true`: a character cut at the end of the sample is not an error.
    new TextDecoder('utf-8', { fatal: true }).decode(head, { stream: true });
    return true;
  } catch {
    return false;
  }
}
