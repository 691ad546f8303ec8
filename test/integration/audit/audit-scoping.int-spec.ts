import { randomInt } from 'node:crypto';
import { INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { MicroserviceOptions, Transport } from '@nestjs/microservices';
import ExcelJS from 'exceljs';
import { Pool } from 'pg';
import {
  AuditEvent,
  auditSubject,
  auditEventScope,
  AuditRecordView,
  LoginHistoryEntryView,
  LoginHistoryPage,
} from '@app/contracts';
import { headers, NatsConnection } from 'nats';
import {
  connectNats,
  ensureAuditStream,
  natsConnectionOptions,
  RpcErrorFilter,
  RpcServerInterceptor,
} from '@app/messaging';
import { expectStatus, natsSettingsAs, randomId, strongPassword } from '@app/testing';
import { LOGGER } from '@app/observability';
import { AuditCapture } from '../auth/admin-harness';
import { AuthGateway } from '../auth/auth-gateway';
import { TenantFixture, UserFixture } from '../auth/auth-test-app';
import { configureAuditService, testEnv, uniqueName } from './support/audit-harness';
import { pdfText } from './support/pdf-text';

jest.setTimeout(240_000);

const CONSUMER = uniqueName('audit-test-scoping');
/** Every format the two routes may serve; a format a route does not serve (yet) is skipped. */
const FORMATS = ['json', 'csv', 'xlsx', 'pdf'] as const;
type Format = (typeof FORMATS)[number];
const CONTENT_TYPES: Record<Format, string> = {
  json: 'application/json',
  csv: 'text/csv',
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  pdf: 'application/pdf',
};

/** Addresses from 198.18.0.0/15 with a three-digit last part: none is a substring of another. */
const usedIps = new Set<string>();
function uniqueIp(): string {
  for (;;) {
    const ip = `198.18.${randomInt(0, 256)}.${randomInt(100, 200)}`;
    if (!usedIps.has(ip)) {
      usedIps.add(ip);
      return ip;
    }
  }
}

async function xlsxText(bytes: Buffer): Promise<string> {
  const book = new ExcelJS.Workbook();
  await book.xlsx.load(bytes as unknown as ArrayBuffer);
  const cells: string[] = [];
  book.eachSheet((sheet) =>
    sheet.eachRow((row) => row.eachCell((cell) => void cells.push(String(cell.text ?? '')))),
  );
  return cells.join('\n');
}

/** What belongs to one tenant: its number, its admins, the addresses it set, the clients of its sessions. */
interface TenantWorld {
  tenant: TenantFixture;
  admins: { user: UserFixture; token: string; ip: string }[];
  /** Strings that only this tenant may read (checked against every other tenant's views). */
  own: Set<string>;
}

interface SharedUser {
  user: UserFixture;
  tenants: TenantWorld[];
  /** The address of the password step (before a tenant is chosen): every tenant of the user sees it. */
  accountIp: string;
}

/**
 * Issue 16: a tenant's audit trail and login history show only what belongs to that tenant. Random
 * tenants share random users; every admin of every tenant acts on the shared users of their tenant;
 * the shared users log in, are locked out, pick each of their tenants, step up and change their
 * password in one, log out in another; an operator resets one user's MFA. Then each tenant's
 * `GET /admin/audit-events` and `GET /admin/login-history`, in every format served, hold no tenant
 * number, admin, notification address or session client of another tenant, and hold every
 * account-wide fact of the tenant's users. The facts travel the real way: auth's outbox, the AUDIT
 * stream, the audit service's ingest, its query over NATS behind the gateway.
 */
describe('audit scoping: each tenant sees its own and its users’ account facts only', () => {
  let platform: AuthGateway;
  let capture: AuditCapture;
  let audit: INestApplication;
  let pool: Pool;
  let nc: NatsConnection;
  const worlds: TenantWorld[] = [];
  const shared: SharedUser[] = [];

  const api = (method: string, p: string, token: string, ip: string, body?: unknown) =>
    platform.api(method, p, { token, ip, body });

  /**
   * The audit service on this file's NATS, as AuthGateway runs auth: its queries verify tokens with
   * this file's auth, and its ingest reads this NATS's AUDIT stream, where `publish` puts the facts.
   */
  async function startAudit(natsUrl: string): Promise<INestApplication> {
    configureAuditService(CONSUMER);
    process.env.NATS_URL = natsUrl;
    const { AuditModule } = await import('@app/audit/audit.module');
    const app = await NestFactory.create(AuditModule, { logger: false });
    app.useGlobalFilters(new RpcErrorFilter(app.get(LOGGER)));
    app.useGlobalInterceptors(app.get(RpcServerInterceptor));
    app.connectMicroservice<MicroserviceOptions>(
      {
        transport: Transport.NATS,
        options: {
          ...natsConnectionOptions(natsSettingsAs('audit', natsUrl)),
          queue: 'audit',
          name: 'audit',
        },
      },
      { inheritAppConfig: true },
    );
    await app.init();
    await app.startAllMicroservices();
    return app;
  }

  /** Makes `world` the session's tenant from an address of that tenant's; the new access token. */
  async function pick(token: string, world: TenantWorld): Promise<string> {
    const switchIp = uniqueIp();
    world.own.add(switchIp);
    const picked = await api('POST', '/auth/tenant', token, switchIp, { tenant: world.tenant.number });
    expectStatus(picked, 200);
    expect(picked.body.activeTenant).toBe(world.tenant.number);
    return picked.body.accessToken as string;
  }

  /**
   * Publishes auth's committed facts on this file's AUDIT stream as the outbox relay does (the run's
   * relays publish them on the run's NATS, where this file's audit service does not read).
   */
  async function publish(facts: AuditEvent[]): Promise<void> {
    const js = nc.jetstream();
    for (const fact of facts) {
      const h = headers();
      h.set('Nats-Msg-Id', fact.id);
      await js.publish(auditSubject(fact.type), JSON.stringify(fact), { msgID: fact.id, headers: h });
    }
  }

  /** Waits until the trail holds every fact auth committed (through whichever relay published it). */
  async function trailHolds(ids: string[]): Promise<void> {
    const deadline = Date.now() + 60_000;
    for (;;) {
      const { rows } = await pool.query<{ n: number }>(
        'SELECT count(*)::int AS n FROM audit.event WHERE id = ANY($1::uuid[])',
        [ids],
      );
      if (rows[0].n === ids.length) {
        return;
      }
      if (Date.now() > deadline) {
        throw new Error(`the trail holds ${rows[0].n} of ${ids.length} facts`);
      }
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  }

  /** The body of a route in one format as text, or null when the route does not serve that format. */
  async function download(p: string, format: Format, token: string): Promise<string | null> {
    const res = await fetch(`${platform.url}/api/v1${p}${p.includes('?') ? '&' : '?'}format=${format}`, {
      headers: { authorization: `Bearer ${token}`, 'x-forwarded-for': uniqueIp() },
    });
    const bytes = Buffer.from(await res.arrayBuffer());
    const type = res.headers.get('content-type') ?? '';
    if (format !== 'json' && (res.status === 400 || !type.startsWith(CONTENT_TYPES[format]))) {
      return null;
    }
    expect(res.status).toBe(200);
    switch (format) {
      case 'json':
      case 'csv':
        return bytes.toString('utf8');
      case 'xlsx':
        return xlsxText(bytes);
      case 'pdf':
        return pdfText(bytes);
    }
  }

  beforeAll(async () => {
    platform = await AuthGateway.create();
    capture = await AuditCapture.start(platform);
    nc = await connectNats(natsSettingsAs('test-harness', platform.natsUrl), 'audit-scoping-test');
    await ensureAuditStream(await nc.jetstreamManager());
    audit = await startAudit(platform.natsUrl);
    pool = new Pool({ connectionString: testEnv.databaseUrl, max: 2 });

    // 3–4 tenants with 1–2 admins each, each admin logged in from an address of their own.
    const tenantCount = randomInt(3, 5);
    for (let t = 0; t < tenantCount; t++) {
      const tenant = await platform.auth.newTenant();
      const world: TenantWorld = { tenant, admins: [], own: new Set([tenant.number]) };
      for (let a = randomInt(1, 3); a > 0; a--) {
        const user = await platform.auth.newUser({ tenant, role: 'admin' });
        const ip = uniqueIp();
        const token = (await platform.login(user, { ip })).accessToken;
        world.admins.push({ user, token, ip });
        world.own.add(user.id).add(user.userId).add(ip);
      }
      worlds.push(world);
    }
    // 3–4 users, each in 2 or more random tenants, and more while a tenant has none (every tenant's
    // trail must then show its users' account facts).
    const uncovered = () => worlds.filter((w) => !shared.some((s) => s.tenants.includes(w)));
    for (let u = randomInt(3, 5); u > 0 || uncovered().length > 0; u--) {
      const shuffled = [...worlds].sort(() => Math.random() - 0.5);
      const missing = uncovered()[0];
      const picked = (missing ? [missing, ...shuffled.filter((w) => w !== missing)] : shuffled).slice(
        0,
        randomInt(2, worlds.length + 1),
      );
      const user = await platform.auth.newUser({
        tenants: picked.map((w) => ({ tenant: w.tenant, role: 'user' as const })),
      });
      shared.push({ user, tenants: picked, accountIp: uniqueIp() });
    }

    for (const s of shared) {
      // Account facts: five wrong passwords lock the account (AUTH-3).
      for (let i = 0; i < 5; i++) {
        const wrong = await platform.api('POST', '/auth/login', {
          body: { userId: s.user.userId, password: 'Wrong-password-1' },
          ip: s.accountIp,
        });
        expect(wrong.status).toBe(401);
      }
      // Every admin of every tenant of the user acts on them: a profile edit and an unlock.
      for (const world of s.tenants) {
        for (const admin of world.admins) {
          expectStatus(
            await api('PATCH', `/admin/users/${s.user.id}`, admin.token, admin.ip, {
              title: `Title ${randomId(4)}`,
            }),
            200,
          );
          expectStatus(await api('POST', `/admin/users/${s.user.id}/unlock`, admin.token, admin.ip), 204);
        }
      }
    }

    // The password step is the account's; picking a tenant, and what follows, is that tenant's.
    const tokens = new Map<SharedUser, string>();
    for (const s of shared) {
      const login = await platform.login(s.user, { ip: s.accountIp });
      expect(login.activeTenant).toBeNull();
      tokens.set(s, await pick(login.accessToken, s.tenants[0]));
    }
    // Every session's second step is stale now: the password change below asks for a step-up.
    platform.staleSecondStep();
    for (const s of shared) {
      const newPassword = strongPassword();
      const body = { currentPassword: s.user.password, newPassword };
      const stepIp = uniqueIp();
      s.tenants[0].own.add(stepIp);
      const refused = await api('POST', '/me/password', tokens.get(s)!, stepIp, body);
      const stepped = (await platform.stepUp(s.user, refused)).accessToken;
      // The change itself is an account fact: every tenant of the user sees it, from this address.
      expectStatus(await api('POST', '/me/password', stepped, s.accountIp, body), 204);
      s.user.password = newPassword;
      let token = (await platform.login(s.user, { ip: s.accountIp })).accessToken;
      for (const world of s.tenants.slice(1)) {
        token = await pick(token, world);
      }
      const logoutIp = uniqueIp();
      s.tenants[s.tenants.length - 1].own.add(logoutIp);
      expectStatus(await api('POST', '/auth/logout', token, logoutIp, {}), 204);
    }

    // An operator resets the first shared user's MFA (an account fact for each of its tenants).
    const operator = await platform.auth.newUser({ operator: true });
    const operatorToken = (await platform.login(operator, { method: 'email' })).accessToken;
    const target = shared[0];
    expectStatus(
      await api('POST', `/ops/users/${target.user.id}/mfa-reset`, operatorToken, uniqueIp(), {
        caseNumber: 'CS0000123',
        email: target.user.email,
        familyName: 'Sato',
        company: target.tenants[0].tenant.name,
      }),
      204,
    );

    // The admins' sessions went stale with the clock: they log in again to read.
    for (const world of worlds) {
      for (const admin of world.admins) {
        admin.token = (await platform.login(admin.user, { ip: admin.ip })).accessToken;
      }
    }

    const facts = await committedFacts();
    await publish(facts);
    await trailHolds(facts.map((f) => f.id));
  });

  afterAll(async () => {
    await capture?.stop();
    await audit?.close();
    await nc?.drain();
    await pool?.end();
    await platform?.close();
  });

  /** Every fact auth committed about the people of this file. */
  async function committedFacts(): Promise<AuditEvent[]> {
    const people = [
      ...worlds.flatMap((w) => w.admins.map((a) => a.user.id)),
      ...shared.map((s) => s.user.id),
    ];
    const seen = new Map<string, AuditEvent>();
    for (const id of people) {
      for (const e of [
        ...(await capture.events({ actorUserId: id })),
        ...(await capture.events({ targetId: id })),
      ]) {
        seen.set(e.id, e);
      }
    }
    return [...seen.values()];
  }

  /** Strings of every tenant but `world`, less those that are the world's own too. */
  const foreignTo = (world: TenantWorld): string[] =>
    worlds
      .filter((w) => w !== world)
      .flatMap((w) => [...w.own])
      .filter((s) => !world.own.has(s));

  function expectNoForeign(text: string, world: TenantWorld, what: string): void {
    const leaked = foreignTo(world).filter((s) => text.includes(s));
    if (leaked.length > 0) {
      throw new Error(`${what} of ${world.tenant.number} shows another tenant's ${leaked.join(', ')}`);
    }
  }

  /** People of a tenant: its admins and the shared users in it. */
  const peopleOf = (world: TenantWorld): string[] => [
    ...world.admins.map((a) => a.user.id),
    ...shared.filter((s) => s.tenants.includes(world)).map((s) => s.user.id),
  ];
  /** Admins of the other tenants (none of them is an admin of this one). */
  const foreignAdmins = (world: TenantWorld): string[] =>
    worlds.filter((w) => w !== world).flatMap((w) => w.admins.map((a) => a.user.id));

  async function trailOf(world: TenantWorld, query = ''): Promise<AuditRecordView[]> {
    const answer = await platform.api('GET', `/admin/audit-events${query}`, { token: world.admins[0].token });
    expectStatus(answer, 200);
    return answer.body as AuditRecordView[];
  }

  it("keeps every tenant's trail free of other tenants, in every format served", async () => {
    // A page is at most 100 facts: the newest, then each person's own (the actor filter).
    for (const world of worlds) {
      const queries = ['', ...peopleOf(world).map((id) => `?userId=${id}`)];
      for (const query of queries) {
        for (const format of FORMATS) {
          const text = await download(`/admin/audit-events${query}`, format, world.admins[0].token);
          if (text !== null) {
            expectNoForeign(text, world, `/admin/audit-events${query} as ${format}`);
          }
        }
      }
      for (const id of foreignAdmins(world)) {
        expect(await trailOf(world, `?userId=${id}`)).toEqual([]);
      }
    }
  });

  it("shows each tenant every account fact of its users, and its own admins' actions", async () => {
    const facts = await committedFacts();
    for (const world of worlds) {
      const users = shared.filter((s) => s.tenants.includes(world)).map((s) => s.user.id);
      const trail = new Map<string, AuditRecordView>();
      for (const query of [
        '',
        '?type=auth.mfa.reset',
        '?type=auth.account.unlocked',
        ...peopleOf(world).map((id) => `?userId=${id}`),
      ]) {
        for (const record of await trailOf(world, query)) {
          trail.set(record.id, record);
        }
      }
      for (const record of trail.values()) {
        expect(record.tenants).toEqual([world.tenant.number]);
      }
      const concerns = (f: AuditEvent) =>
        users.includes(f.actor.userId ?? '') || users.includes(f.target?.id ?? '');
      const accountFacts = facts.filter(
        (f) =>
          concerns(f) &&
          (auditEventScope(f.type) === 'account_tenants' ||
            (auditEventScope(f.type) === 'acting_tenant_else_account' && f.actor.tenant === undefined)),
      );
      const types = new Set(accountFacts.map((f) => f.type));
      for (const type of ['auth.login.failed', 'auth.login.locked_out', 'auth.password.changed']) {
        expect(types).toContain(type);
      }
      expect(accountFacts.filter((f) => !trail.has(f.id)).map((f) => [f.type, f.actor.userId])).toEqual([]);
      // The MFA reset of a user of this tenant is here too.
      if (shared[0].tenants.includes(world)) {
        expect([...trail.values()].some((r) => r.type === 'auth.mfa.reset')).toBe(true);
      }
      // What this tenant's admins did is here, and only theirs.
      const unlocks = [...trail.values()].filter((r) => r.type === 'auth.account.unlocked');
      const admins = world.admins.map((a) => a.user.id);
      expect(unlocks.length).toBe(admins.length * users.length);
      expect(unlocks.every((r) => admins.includes(r.actor.userId ?? ''))).toBe(true);
    }
  });

  it("keeps every tenant's login history free of other tenants, and holds its users' logins", async () => {
    for (const world of worlds) {
      const token = world.admins[0].token;
      for (const format of FORMATS) {
        const text = await download('/admin/login-history?pageSize=500', format, token);
        if (text !== null) {
          expectNoForeign(text, world, `/admin/login-history as ${format}`);
        }
      }
      const answer = await platform.api('GET', '/admin/login-history?pageSize=500', { token });
      expectStatus(answer, 200);
      const rows = (answer.body as LoginHistoryPage).items;
      for (const s of shared.filter((u) => u.tenants.includes(world))) {
        const mine = rows.filter((r: LoginHistoryEntryView) => r.userId === s.user.id);
        // The wrong passwords and the logins before a tenant was chosen: the account's, so here.
        expect(
          mine.filter((r) => r.event === 'login' && r.result === 'failure' && r.ip === s.accountIp),
        ).toHaveLength(5);
        expect(mine.some((r) => r.event === 'login' && r.result === 'success' && r.ip === s.accountIp)).toBe(
          true,
        );
      }
    }
  });
});
