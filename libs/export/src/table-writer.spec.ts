import { PassThrough } from 'node:stream';
import { parse } from 'csv-parse/sync';
import ExcelJS from 'exceljs';
import { ExportTableSpec } from './export-table';
import { tableFile, tableWriter } from './table-writer';

const spec: ExportTableSpec = {
  title: '監査イベント Audit events',
  subtitle: 'テナント N202400003',
  sheetName: '監査イベント',
  columns: [
    { key: 'time', header: '日時', xlsxWidth: 27, pdfWidth: 120 },
    { key: 'name', header: '氏名', xlsxWidth: 20, pdfWidth: 200 },
    { key: 'agent', header: 'User agent', xlsxWidth: 40 },
  ],
};
const rows = [
  ['2026-01-01T09:00:00+09:00', '山田 太郎', '=HYPERLINK("http://evil.test","x")'],
  ['2026-01-01T08:00:00+09:00', 'Ｔａｒｏ　テスト', 'Mozilla/5.0'],
];

describe('table writers', () => {
  it('writes CSV with a byte-order mark, the headers and formula starts neutralised', async () => {
    const bytes = await tableFile('csv', spec, rows);
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    expect(bytes.toString('utf8')).toContain('\r\n');
    const parsed = parse(bytes, { bom: true }) as string[][];
    expect(parsed).toEqual([
      ['日時', '氏名', 'User agent'],
      rows[0].map((c, i) => (i === 2 ? `'${c}` : c)),
      rows[1],
    ]);
  });

  it('quotes CSV fields with quotes, commas and line breaks as RFC 4180 says', async () => {
    const tricky = ['a "quoted" word', 'one, two', 'line\nbreak', 'plain'];
    const bytes = await tableFile(
      'csv',
      { ...spec, columns: [...spec.columns, { key: 'x', header: 'x', xlsxWidth: 5 }] },
      [tricky],
    );
    expect(bytes.toString('utf8')).toContain('"a ""quoted"" word","one, two","line\nbreak",plain\r\n');
    expect((parse(bytes, { bom: true }) as string[][])[1]).toEqual(tricky);
  });

  it('writes an xlsx workbook that opens with the rows as text', async () => {
    const bytes = await tableFile('xlsx', spec, rows);
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(bytes as unknown as ArrayBuffer);
    const sheet = workbook.worksheets[0];
    expect(sheet.name).toBe('監査イベント');
    const read: string[][] = [];
    sheet.eachRow((row) => read.push([1, 2, 3].map((i) => String(row.getCell(i).value ?? ''))));
    expect(read).toEqual([['日時', '氏名', 'User agent'], ...rows]);
  });

  it('writes a PDF that embeds a subset of Noto Sans JP for the Japanese text', async () => {
    const bytes = await tableFile('pdf', spec, rows);
    const text = bytes.toString('latin1');
    expect(text.startsWith('%PDF-')).toBe(true);
    expect(text.trimEnd().endsWith('%%EOF')).toBe(true);
    // A subset font is named `ABCDEF+Name`; the CFF glyphs travel as FontFile3.
    expect(text).toMatch(/\/BaseFont \/[A-Z]{6}\+NotoSansJP-Regular/);
    expect(text).toMatch(/\/BaseFont \/[A-Z]{6}\+NotoSansJP-Bold/);
    expect(text).toContain('/ToUnicode');
    expect(bytes.length).toBeLessThan(400_000);
  });

  it('stops with an error when the stream it writes to is closed', async () => {
    const out = new PassThrough({ highWaterMark: 16 });
    const writer = tableWriter('csv', out, spec);
    out.destroy();
    await expect(writer.write(rows[0])).rejects.toThrow('export stream closed');
  });
});
