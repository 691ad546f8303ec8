import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { call } from '@app/testing';
import { RunningGateway, StandInServices, startGateway } from './gateway-harness';

jest.setTimeout(60_000);

/**
 * Issue 14: the gateway serves the built portal at `/` beside the API. A stand-in build (an
 * index.html and one hashed asset) is enough: what is checked is the routing and the headers.
 */
describe('the portal at /', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mamori-portal-'));
  const INDEX = '<!doctype html><html lang="ja"><body><div id="root"></div></body></html>';
  let gateway: RunningGateway;

  beforeAll(async () => {
    fs.mkdirSync(path.join(dir, 'assets'));
    fs.writeFileSync(path.join(dir, 'index.html'), INDEX);
    fs.writeFileSync(path.join(dir, 'assets', 'index-Ab12Cd34.js'), 'console.log("portal");\n');
    gateway = await startGateway({ PORTAL_DIR: dir }, new StandInServices());
  });

  afterAll(async () => {
    await gateway?.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it.each(['/', '/login', '/password-reset/abcDEF_123-x', '/account'])(
    'answers the page %s with index.html, revalidated on every load',
    async (page) => {
      const res = await call(gateway.url, 'GET', page);
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toMatch(/^text\/html/);
      expect(res.body).toBe(INDEX);
      expect(res.headers.get('cache-control')).toBe('no-cache');
    },
  );

  it('sends a Content-Security-Policy that runs scripts only from its own files', async () => {
    const res = await call(gateway.url, 'GET', '/login');
    const csp = res.headers.get('content-security-policy') ?? '';
    const scriptSrc = csp.split(';').find((d) => d.trim().startsWith('script-src '));
    expect(scriptSrc?.trim()).toBe("script-src 'self'");
    expect(csp).toContain("script-src-attr 'none'");
    expect(csp).toContain("connect-src 'self'");
    expect(csp).not.toMatch(/script-src[^;]*unsafe-inline/);
  });

  it('marks hashed assets immutable for a year', async () => {
    const res = await call(gateway.url, 'GET', '/assets/index-Ab12Cd34.js');
    expect(res.status).toBe(200);
    expect(res.body).toContain('portal');
    expect(res.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
  });

  it('answers a missing file with 404, not with the page', async () => {
    for (const file of ['/assets/index-gone.js', '/favicon.ico']) {
      const res = await call(gateway.url, 'GET', file);
      expect(res.status).toBe(404);
      expect(res.body).not.toBe(INDEX);
    }
  });

  it('leaves the API, health and other methods to the gateway', async () => {
    const api = await call(gateway.url, 'GET', '/api/v1/no-such-thing');
    expect(api.status).toBe(404);
    expect(api.body.error.code).toBe('not_found');
    expect(api.headers.get('cache-control')).toBe('no-store');

    const health = await call(gateway.url, 'GET', '/health');
    expect(health.status).toBe(200);
    expect(health.body).not.toBe(INDEX);

    const post = await call(gateway.url, 'POST', '/login', { body: {} });
    expect(post.status).toBe(404);
    expect(post.body).not.toBe(INDEX);
  });
});
