import { sniffMediaType } from './content-sniffer';

function withHead(head: number[] | string, size = 4100): Buffer {
  const bytes = Buffer.alloc(size, 0);
  (typeof head === 'string' ? Buffer.from(head, 'latin1') : Buffer.from(head)).copy(bytes);
  return bytes;
}

describe(sniffMediaType.name, () => {
  it.each([
    [withHead('%PDF-1.7\n'), 'application/pdf'],
    [withHead([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), 'image/png'],
    [withHead('MZ'), 'application/x-msdownload'],
    [withHead([0x7f, 0x45, 0x4c, 0x46, 0x02]), 'application/x-elf'],
    [withHead([0xcf, 0xfa, 0xed, 0xfe]), 'application/x-mach-binary'],
    [Buffer.from('#!/bin/sh\nrm -rf /\n'), 'text/x-shellscript'],
    [Buffer.from('日本語のテキスト, plain text\n'), 'text/plain'],
    [Buffer.from([0x00, 0x01, 0x02, 0xff]), 'application/octet-stream'],
    [Buffer.alloc(0), 'application/octet-stream'],
  ])('sniffs %#', async (bytes, type) => {
    expect(await sniffMediaType(bytes)).toBe(type);
  });

  it('takes text cut inside a multi-byte character at the end of the sample as text', async () => {
    const text = Buffer.from('あいう', 'utf8');
    expect(await sniffMediaType(text.subarray(0, text.length - 1))).toBe('text/plain');
  });
});
