import type { NextFunction, Request, Response } from 'express';
import { GatewayRequest } from './gateway-request';
import { RequestIdMiddleware } from './request-id.middleware';

function request(headers: Record<string, string>): Request {
  const lower = Object.fromEntries(Object.entries(headers).map(([k, v]) => [k.toLowerCase(), v]));
  return { ip: '203.0.113.7', get: (name: string) => lower[name.toLowerCase()] } as unknown as Request;
}

function run(headers: Record<string, string>): {
  req: GatewayRequest;
  header: string | undefined;
  next: jest.Mock;
} {
  const req = request(headers);
  let header: string | undefined;
  const res = { setHeader: (_name: string, value: string) => (header = value) } as unknown as Response;
  const next = jest.fn();
  new RequestIdMiddleware().use(req, res, next as unknown as NextFunction);
  return { req: req as GatewayRequest, header, next };
}

describe(RequestIdMiddleware.name, () => {
  it('keeps a well-formed incoming X-Request-Id and echoes it', () => {
    const { req, header, next } = run({ 'X-Request-Id': 'frontend-42_abc' });
    expect(req.requestId).toBe('frontend-42_abc');
    expect(header).toBe('frontend-42_abc');
    expect(next).toHaveBeenCalledWith();
  });

  it.each([['a'.repeat(65)], ['has space'], ['semi;colon'], ['line\nbreak'], ['']])(
    'replaces an unsafe id %p with a uuid',
    (incoming) => {
      const { req, header } = run({ 'X-Request-Id': incoming });
      expect(req.requestId).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
      expect(header).toBe(req.requestId);
    },
  );

  it('accepts an id of exactly 64 characters', () => {
    expect(run({ 'X-Request-Id': 'b'.repeat(64) }).req.requestId).toBe('b'.repeat(64));
  });

  it('makes a fresh id per request when none is given', () => {
    expect(run({}).req.requestId).not.toBe(run({}).req.requestId);
  });

  it('builds the call context: id, client address, user agent (capped) and language', () => {
    const { req } = run({
      'X-Request-Id': 'r1',
      'User-Agent': 'x'.repeat(2000),
      'Accept-Language': 'ja-JP,ja;q=0.9',
    });
    expect(req.callContext).toEqual({
      requestId: 'r1',
      ip: '203.0.113.7',
      userAgent: 'x'.repeat(512),
      language: 'ja',
    });
    expect(req.language).toBe('ja');
  });

  it.each([
    ['en-US', 'en'],
    ['fr', 'en'],
    ['JA', 'ja'],
  ])('reads Accept-Language %p as %p', (header, language) => {
    expect(run({ 'Accept-Language': header }).req.language).toBe(language);
  });

  it('defaults to English without Accept-Language', () => {
    expect(run({}).req.language).toBe('en');
  });
});
