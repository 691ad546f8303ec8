import { randomInt, randomUUID } from 'node:crypto';
import {
  LOGIN_HISTORY_EXPORT_MAX_ROWS,
  LOGIN_HISTORY_MAX_PAGE_SIZE,
  LoginHistoryEntryView,
  LoginHistoryPage,
} from '@app/contracts';
import { FILE_MAX_BASE64, LoginHistoryExporter, NATS_MAX_PAYLOAD } from './login-history-exporter';

/** Random characters from `alphabet`, so that no compression (xlsx, PDF) makes the file look small. */
function noise(length: number, alphabet: string): string {
  const chars = [...alphabet];
  return Array.from({ length }, () => chars[randomInt(chars.length)]).join('');
}

/**
 * A row with every field at its longest and in its widest encoding: a 40-character login ID of
 * 4-byte characters, a 512-character user agent of 2-byte characters and quotes (CSV doubles them),
 * a 64-character address, many reasons.
 */
function worstRow(): LoginHistoryEntryView {
  return {
    id: randomUUID(),
    occurredAt: new Date(Date.UTC(2025, 0, 1) + randomInt(1e9)).toISOString(),
    userId: randomUUID(),
    loginId: noise(40, '😀😺🙈🚀🌸🍣🎌🗻'),
    event: 'second_factor',
    method: 'trusted_browser',
    result: 'failure',
    reasons: Array.from({ length: 12 }, () => noise(24, 'abcdefghijklmnopqrstuvwxyz_')),
    ip: noise(64, '0123456789abcdef:'),
    userAgent: noise(512, '"ÿþýüûúùøabcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789=;,()'),
    target: { type: 'login_flow', id: randomUUID() },
  };
}

describe('sizes of login history answers against the NATS payload limit', () => {
  const rows = Array.from({ length: LOGIN_HISTORY_EXPORT_MAX_ROWS }, worstRow);
  const exporter = new LoginHistoryExporter();
  const now = new Date('2025-04-01T00:00:00Z');

  it.each(['csv', 'xlsx', 'pdf'] as const)(
    'a %s file of the most rows, each at its longest, fits one NATS message',
    async (format) => {
      // The PDF is in English whatever the reader's language.
      for (const language of format === 'pdf' ? (['en'] as const) : (['ja', 'en'] as const)) {
        const file = await exporter.export(
          format,
          rows,
          { language, timeZone: 'America/St_Johns' },
          { scope: 'Tenant N202400003', fileTag: 'N202400003' },
          now,
        );
        expect(file.rows).toBe(LOGIN_HISTORY_EXPORT_MAX_ROWS);
        expect(file.base64.length).toBeLessThanOrEqual(FILE_MAX_BASE64);
        expect(Buffer.byteLength(JSON.stringify({ response: file, id: randomUUID() }))).toBeLessThan(
          NATS_MAX_PAYLOAD,
        );
      }
    },
    60_000,
  );

  it('a JSON page of the most rows, each at its longest, fits one NATS message', () => {
    const page: LoginHistoryPage = {
      items: rows.slice(0, LOGIN_HISTORY_MAX_PAGE_SIZE),
      total: 1e9,
      page: 1,
      pageSize: LOGIN_HISTORY_MAX_PAGE_SIZE,
    };
    expect(Buffer.byteLength(JSON.stringify({ response: page, id: randomUUID() }))).toBeLessThan(
      NATS_MAX_PAYLOAD,
    );
  });
});
