import { randomUUID } from 'node:crypto';
import { LoginHistoryEntryView } from '@app/contracts';
import { LoginHistoryExporter } from './login-history-exporter';

const row = (loginId: string, userAgent: string): LoginHistoryEntryView => ({
  id: randomUUID(),
  occurredAt: '2026-04-01T00:30:15.000Z',
  userId: randomUUID(),
  loginId,
  event: 'login',
  method: 'password',
  result: 'success',
  reasons: [],
  ip: '198.51.100.7',
  userAgent,
  target: { type: 'session', id: randomUUID() },
});

describe(LoginHistoryExporter.name, () => {
  const sut = new LoginHistoryExporter();
  const now = new Date('2026-04-01T01:00:00Z');

  it('prints Japanese login IDs and user agents in the PDF with an embedded Japanese font', async () => {
    const file = await sut.export(
      'pdf',
      [row('山田太郎', 'モバイルアプリ/1.0'), row('taro', 'Mozilla/5.0')],
      { language: 'ja', timeZone: 'Asia/Tokyo' },
      { scope: 'Tenant N202400003', fileTag: 'N202400003' },
      now,
    );
    const pdf = Buffer.from(file.base64, 'base64').toString('latin1');
    expect(file.fileName).toBe('login-history-N202400003-20260401-1000.pdf');
    // The Japanese cells are set in a subset of Noto Sans JP (with a ToUnicode map, so the text can
    // be searched and copied); the ASCII ones stay in Helvetica.
    expect(pdf).toMatch(/\/BaseFont \/[A-Z]{6}\+NotoSansJP-Regular/);
    expect(pdf).toContain('/ToUnicode');
    expect(pdf).toContain('/BaseFont /Helvetica');
    // No character was replaced by a question mark, as the ASCII-only PDF did.
    expect(pdf).not.toContain('(????)');
  });

  it('writes CSV and xlsx with the same shared writers', async () => {
    const csv = await sut.export(
      'csv',
      [row('山田太郎', '=cmd')],
      { language: 'en', timeZone: 'UTC' },
      { scope: 'User taro' },
      now,
    );
    const text = Buffer.from(csv.base64, 'base64').toString('utf8');
    expect(text.startsWith('\ufeffTime,User ID,')).toBe(true);
    expect(text).toContain('山田太郎');
    expect(text).toContain("'=cmd");
    expect(csv.contentType).toBe('text/csv; charset=utf-8');
  });
});
