import { describe, expect, it } from 'vitest';
import { createI18n } from '../i18n/i18n';
import { ApiError, errorText, NetworkError, toApiError } from './api-error';

describe('toApiError', () => {
  it('reads the envelope: code, message, details and request id', () => {
    const error = toApiError(423, {
      error: {
        code: 'account_locked',
        message: 'ロックされています。',
        details: { retryAfter: 600 },
        requestId: 'r-1',
      },
    });
    expect(error).toBeInstanceOf(ApiError);
    expect(error).toMatchObject({
      status: 423,
      code: 'account_locked',
      message: 'ロックされています。',
      requestId: 'r-1',
    });
    expect(error.retryAfterSeconds).toBe(600);
  });

  it('turns a body without an envelope (a proxy page) into a code of its own', () => {
    expect(toApiError(502, '<html>Bad gateway</html>')).toMatchObject({ code: 'http_502', message: '' });
    expect(toApiError(500, undefined).details).toEqual({});
  });
});

describe('errorText', () => {
  const ja = createI18n({ detect: false, language: 'ja' }).t;
  const en = createI18n({ detect: false, language: 'en' }).t;
  const now = new Date(2026, 0, 15, 9, 0, 0);

  it("shows the server's message, already in the user's language", () => {
    const error = new ApiError(401, 'invalid_credentials', 'ID またはパスワードが違います。');
    expect(errorText(error, ja, now)).toBe('ID またはパスワードが違います。');
  });

  it('adds the time a wait ends, from details.retryAfter', () => {
    const error = new ApiError(423, 'account_locked', 'Locked.', { retryAfter: 1800 });
    expect(errorText(error, en, now)).toBe('Locked. Please try again after 09:30.');
    expect(errorText(error, ja, now)).toBe('Locked. 09:30 以降にもう一度お試しください。');
  });

  it('has words of its own for no answer and for an answer without a message', () => {
    expect(errorText(new NetworkError(new TypeError('Failed to fetch')), en, now)).toMatch(
      /cannot be reached/,
    );
    expect(errorText(toApiError(503, undefined), ja, now)).toBe(
      'サーバーで問題が発生しました。しばらくしてからもう一度お試しください。',
    );
    expect(errorText(new Error('boom'), en, now)).toBe('This could not be done. Please try again.');
  });
});
