import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { randomBytes, randomUUID } from 'node:crypto';
import { LoginHistoryEntry } from '@app/auth/login-history/login-history-entry.entity';
import { CaseSummaryView } from '@app/contracts';
import { call, expectStatus, signAccessToken } from '@app/testing';
import { sha256, uploadFile } from './attachment-client';
import { CasePlatform, Customer } from './case-platform';

/** A PDF as file-type recognises one: its signature, then filler. */
function pdf(size: number): Buffer {
  const bytes = randomBytes(size);
  Buffer.from('%PDF-1.7\n').copy(bytes, 0);
  return bytes;
}

/**
 * `POST /files/session`: the cookie that lets a browser stream a file to disk through a plain link.
 * It carries the access token to the download routes only, on reads only, for no longer than the
 * token lives, and grants nothing the token itself would not.
 */
describe('files session (plain-link downloads)', () => {
  let platform: CasePlatform;
  let root: string;
  let ops: string;
  let customer: Customer;
  let stranger: Customer;
  let number: string;
  let fileId: string;
  const bytes = pdf(200_000);

  beforeAll(async () => {
    root = await fs.mkdtemp(path.join(os.tmpdir(), 'mamori-files-session-'));
    platform = await CasePlatform.create({ ATTACHMENT_DIR: root }, { ATTACHMENT_DIR: root });
    ops = await platform.operator();
    customer = await platform.customer();
    stranger = await platform.customer();
    const service = await platform.contract(ops, customer.tenant);
    const created = await platform.api('POST', '/cases', {
      token: customer.token,
      body: { service, category: 'fault', subject: 'Logs', description: '<p>Attached.</p>' },
    });
    expectStatus(created, 201);
    number = (created.body as CaseSummaryView).number;
    const uploaded = await uploadFile(platform.url, `/cases/${number}/attachments`, bytes, {
      token: customer.token,
      fileName: 'logs.pdf',
    });
    expect(uploaded.status).toBe(201);
    fileId = uploaded.body.id as string;
  });

  afterAll(async () => {
    await platform.close();
    await fs.rm(root, { recursive: true, force: true });
  });

  /** Opens a files session with `token` and returns its Set-Cookie lines. */
  async function openSession(token: string): Promise<string[]> {
    const session = await platform.api('POST', '/files/session', { token });
    expectStatus(session, 204);
    return session.headers.getSetCookie();
  }

  function cookieOf(token: string): Record<string, string> {
    return { cookie: `mamori_files=${token}`, 'accept-language': 'en' };
  }

  it('sets an httpOnly, SameSite=Strict cookie on the download areas only, ending with the token', async () => {
    const lines = await openSession(customer.token);
    const paths = lines.map((line) => /; Path=([^;]+)/.exec(line)?.[1]).sort();
    expect(paths).toEqual([
      '/api/v1/cases',
      '/api/v1/knowledge',
      '/api/v1/me/login-history',
      '/api/v1/work-requests',
    ]);
    for (const line of lines) {
      expect(line).toMatch(/^mamori_files=[A-Za-z0-9_.-]+;/);
      expect(line).toMatch(/; HttpOnly/);
      expect(line).toMatch(/; SameSite=Strict/);
      // Plain HTTP here: Secure would keep the browser from sending it back.
      expect(line).not.toMatch(/; Secure/);
      const maxAge = Number(/Max-Age=(\d+)/.exec(line)?.[1]);
      expect(maxAge).toBeGreaterThan(0);
      expect(maxAge).toBeLessThanOrEqual(15 * 60);
    }
    const operatorPaths = (await openSession(ops)).map((line) => /; Path=([^;]+)/.exec(line)?.[1]).sort();
    expect(operatorPaths).toEqual([
      '/api/v1/me/login-history',
      '/api/v1/ops/audit-events',
      '/api/v1/ops/cases',
      '/api/v1/ops/knowledge',
      '/api/v1/ops/work-requests',
    ]);
    // A tenant admin's exports are single routes: their paths, not all of /admin.
    const admin = await platform.customer(customer.tenant, 'admin');
    const adminPaths = (await openSession(admin.token))
      .map((line) => /; Path=([^;]+)/.exec(line)?.[1])
      .sort();
    expect(adminPaths).toEqual([
      '/api/v1/admin/audit-events',
      '/api/v1/admin/login-history',
      '/api/v1/cases',
      '/api/v1/knowledge',
      '/api/v1/me/login-history',
      '/api/v1/work-requests',
    ]);
    const doc = await call(platform.url, 'GET', '/api/docs-json');
    expect(Object.keys((doc.body as { paths: object }).paths)).toContain('/api/v1/files/session');
  });

  it('lets the cookie alone download the file, whole and by range', async () => {
    const cookie = (await openSession(customer.token))[0].split(';')[0];
    const url = `${platform.url}/api/v1/cases/${number}/attachments/${fileId}`;
    const whole = await fetch(url, { headers: { cookie } });
    expect(whole.status).toBe(200);
    expect(whole.headers.get('content-disposition')).toMatch(/^attachment;/);
    expect(sha256(Buffer.from(await whole.arrayBuffer()))).toBe(sha256(bytes));
    const head = await fetch(url, { method: 'HEAD', headers: { cookie } });
    expect(head.status).toBe(200);
    const part = await fetch(url, { headers: { cookie, range: 'bytes=0-99' } });
    expect(part.status).toBe(206);
    expect(Buffer.from(await part.arrayBuffer())).toEqual(bytes.subarray(0, 100));
  });

  it('refuses the cookie on anything but a download read', async () => {
    const headers = cookieOf(customer.token);
    // A write on the download's own path, a read of the case beside it, the profile.
    const upload = await call(platform.url, 'POST', `/api/v1/cases/${number}/attachments`, { headers });
    expect(upload.status).toBe(401);
    expect((await call(platform.url, 'GET', `/api/v1/cases/${number}`, { headers })).status).toBe(401);
    expect((await call(platform.url, 'GET', '/api/v1/cases', { headers })).status).toBe(401);
    expect((await call(platform.url, 'GET', '/api/v1/me', { headers })).status).toBe(401);
    // Opening a session needs the header: a cookie cannot renew itself.
    expect((await call(platform.url, 'POST', '/api/v1/files/session', { headers })).status).toBe(401);
  });

  it("answers 404 to another tenant's cookie, as to its token", async () => {
    const answer = await call(platform.url, 'GET', `/api/v1/cases/${number}/attachments/${fileId}`, {
      headers: cookieOf(stranger.token),
    });
    expect(answer.status).toBe(404);
    expect((answer.body as { error: { code: string } }).error.code).toBe('not_found');
  });

  it('refuses an expired token in the cookie, a forged one, and no cookie at all', async () => {
    const expired = signAccessToken(
      { sub: customer.user.id, tenant: customer.tenant.number, role: 'user' },
      { expiresIn: -60 },
    );
    const file = `/api/v1/cases/${number}/attachments/${fileId}`;
    expect((await call(platform.url, 'GET', file, { headers: cookieOf(expired) })).status).toBe(401);
    expect((await call(platform.url, 'GET', file, { headers: cookieOf('a.b.c') })).status).toBe(401);
    expect((await call(platform.url, 'GET', file)).status).toBe(401);
    expect((await call(platform.url, 'POST', '/api/v1/files/session', { token: expired })).status).toBe(401);
  });

  it("lets an operator's cookie download below /ops, and nowhere a customer's route", async () => {
    const lines = await openSession(ops);
    const cookie = lines[0].split(';')[0];
    const mine = await call(platform.url, 'GET', `/api/v1/ops/cases/${number}/attachments/${fileId}`, {
      headers: { cookie },
    });
    expect(mine.status).toBe(200);
    const customers = await call(platform.url, 'GET', `/api/v1/cases/${number}/attachments/${fileId}`, {
      headers: { cookie },
    });
    expect(customers.status).toBe(403);
  });

  /** A login-history row of `user` in `tenant`, told apart by its IP address. */
  async function historyRow(user: { id: string }, tenant: string, ip: string): Promise<void> {
    await platform.auth.dataSource.getRepository(LoginHistoryEntry).insert({
      id: randomUUID(),
      occurredAt: new Date(),
      userId: user.id,
      tenants: [tenant],
      event: 'login',
      method: 'password',
      result: 'success',
      reasons: [],
      ip,
      userAgent: 'jest',
      targetType: null,
      targetId: null,
      correlationId: randomUUID(),
    });
  }

  it('lets the cookie alone export the login history, and never read its JSON page', async () => {
    await historyRow(customer.user, customer.tenant.number, '198.51.100.21');
    const headers = cookieOf(customer.token);
    const file = await call(platform.url, 'GET', '/api/v1/me/login-history?format=csv', { headers });
    expect(file.status).toBe(200);
    expect(file.headers.get('content-disposition')).toMatch(/^attachment;/);
    expect(file.headers.get('content-type')).toMatch(/^text\/csv/);
    expect(file.body as string).toContain('198.51.100.21');
    const pdfFile = await call(platform.url, 'GET', '/api/v1/me/login-history?format=pdf', { headers });
    expect(pdfFile.status).toBe(200);
    // The page of the same route, asked for in any way, still needs the header.
    for (const query of ['', '?format=json', '?format=csv&format=json', '?format[x]=csv', '?format=html']) {
      const page = await call(platform.url, 'GET', `/api/v1/me/login-history${query}`, { headers });
      expect([query, page.status]).toEqual([query, 401]);
    }
    // With the header the page is there, so the cookie alone is what was refused.
    const withToken = await platform.api('GET', '/me/login-history', { token: customer.token });
    expect(withToken.status).toBe(200);
    // The other routes below the cookie's paths and beside them do not read it either.
    expect((await call(platform.url, 'GET', '/api/v1/me/trusted-browsers', { headers })).status).toBe(401);
    expect((await call(platform.url, 'GET', '/api/v1/admin/users', { headers })).status).toBe(401);
  });

  it("lets a tenant admin's cookie export its own tenant's login history only", async () => {
    const mine = await platform.customer(undefined, 'admin');
    const other = await platform.customer(undefined, 'admin');
    await historyRow(mine.user, mine.tenant.number, '198.51.100.31');
    await historyRow(other.user, other.tenant.number, '198.51.100.32');
    const file = await call(platform.url, 'GET', '/api/v1/admin/login-history?format=csv', {
      headers: cookieOf(mine.token),
    });
    expect(file.status).toBe(200);
    expect(file.body as string).toContain('198.51.100.31');
    expect(file.body as string).not.toContain('198.51.100.32');
    const page = await call(platform.url, 'GET', '/api/v1/admin/login-history?format=json', {
      headers: cookieOf(mine.token),
    });
    expect(page.status).toBe(401);
    // A customer's cookie is a customer's token: the admin export stays forbidden.
    const customers = await call(platform.url, 'GET', '/api/v1/admin/login-history?format=csv', {
      headers: cookieOf(customer.token),
    });
    expect(customers.status).toBe(403);
  });
});
