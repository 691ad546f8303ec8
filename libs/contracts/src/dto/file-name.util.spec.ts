import { FALLBACK_FILE_NAME, sanitizeFileName } from './file-name.util';
import { MAX_ATTACHMENT_NAME } from '../rpc/attachments.rpc';

describe(sanitizeFileName.name, () => {
  it.each([
    ['report.pdf', 'report.pdf'],
    ['../../etc/passwd', 'passwd'],
    ['C:\\Users\\me\\secret.docx', 'secret.docx'],
    ['報告書.xlsx', '報告書.xlsx'],
    ['a<b>c:d"e|f?g*.txt', 'a_b_c_d_e_f_g_.txt'],
    ['invoice\u202Efdp.exe', 'invoicefdp.exe'],
    ['bell\u0007\u0000name.txt', 'bellname.txt'],
    ['  ..hidden. ', 'hidden'],
    ['tab\tand  spaces.txt', 'tab and spaces.txt'],
    ['', FALLBACK_FILE_NAME],
    [undefined, FALLBACK_FILE_NAME],
    ['../..', FALLBACK_FILE_NAME],
    ['lone\ud800surrogate.txt', 'lonesurrogate.txt'],
    ['e\u0301.txt', '\u00e9.txt'],
  ])('%j → %j', (raw, clean) => {
    expect(sanitizeFileName(raw)).toBe(clean);
  });

  it('cuts a long name to the limit and keeps its extension', () => {
    const clean = sanitizeFileName(`${'あ'.repeat(500)}.pdf`);
    expect([...clean]).toHaveLength(MAX_ATTACHMENT_NAME);
    expect(clean.endsWith('あ.pdf')).toBe(true);
  });
});
