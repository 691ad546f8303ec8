import { AdminUserView, AuditEvent, AuditEventType } from '@app/contracts';
import { expectStatus, randomId } from '@app/testing';
import { AuthGateway } from './auth-gateway';
import { AuditFilter, NewUserOptions, TenantFixture, UserFixture } from './auth-test-app';

/** A tenant admin logged in through the gateway: their tenant, their fixture and a fresh access token. */
export interface AdminSession {
  tenant: TenantFixture;
  admin: UserFixture;
  token: string;
}

/**
 * A new tenant (or the given one) and an admin of it who logged in with password + code: their
 * session's second step is fresh, so sensitive calls pass step-up for 10 minutes of the auth clock.
 */
export async function adminSession(platform: AuthGateway, tenant?: TenantFixture): Promise<AdminSession> {
  const home = tenant ?? (await platform.auth.newTenant());
  const admin = await platform.auth.newUser({ tenant: home, role: 'admin' });
  const tokens = await platform.login(admin);
  return { tenant: home, admin, token: tokens.accessToken };
}

/** A user of the session's tenant (role 'user' unless told). */
export function memberOf(platform: AuthGateway, session: AdminSession, options: NewUserOptions = {}) {
  return platform.auth.newUser({ tenant: session.tenant, role: 'user', ...options });
}

/** Every tenant admin route that names one user, as `[method, path, body]` for the user `id`. */
export function userRoutes(id: string): [string, string, unknown][] {
  return [
    ['GET', `/admin/users/${id}`, undefined],
    ['PATCH', `/admin/users/${id}`, { title: 'Changed', mfaRequired: true }],
    ['PUT', `/admin/users/${id}/user-id`, { userId: `moved-${id.slice(0, 8)}` }],
    ['POST', `/admin/users/${id}/disable`, undefined],
    ['POST', `/admin/users/${id}/enable`, undefined],
    ['POST', `/admin/users/${id}/unlock`, undefined],
    ['PUT', `/admin/users/${id}/notification-email`, { email: 'desk@example.org' }],
    ['POST', `/admin/users/${id}/email-deliverable`, undefined],
  ];
}

/** `GET /admin/users` as the session's admin, expecting 200. */
export async function listUsers(platform: AuthGateway, session: AdminSession): Promise<AdminUserView[]> {
  const answer = await platform.api('GET', '/admin/users', { token: session.token });
  expectStatus(answer, 200);
  return answer.body as AdminUserView[];
}

/**
 * The audit events committed to auth.outbox while it runs, copied by a trigger into a table of its
 * own. AuthGateway gives each test file a NATS of its own but the run shares one database, so
 * another file's outbox relay may claim our rows and publish them on its NATS, where
 * `auth.auditEvents` never sees them. A copy made in the writing transaction is there exactly when
 * the fact was committed, whichever relay publishes it.
 */
export class AuditCapture {
  private constructor(
    private readonly platform: AuthGateway,
    private readonly name: string,
  ) {}

  static async start(platform: AuthGateway): Promise<AuditCapture> {
    const name = `test_audit_copy_${randomId(12)}`;
    const db = platform.auth.dataSource;
    await db.query(`CREATE TABLE auth.${name} (seq bigserial PRIMARY KEY, payload jsonb NOT NULL)`);
    await db.query(
      `CREATE FUNCTION auth.${name}() RETURNS trigger LANGUAGE plpgsql AS $$
       BEGIN
         INSERT INTO auth.${name} (payload) VALUES (NEW.payload);
         RETURN NEW;
       END $$`,
    );
    await db.query(
      `CREATE TRIGGER ${name} AFTER INSERT ON auth.outbox FOR EACH ROW EXECUTE FUNCTION auth.${name}()`,
    );
    return new AuditCapture(platform, name);
  }

  /** Committed events matching the filter, in the order they were written. */
  async events(filter: AuditFilter): Promise<AuditEvent[]> {
    const rows: { payload: AuditEvent }[] = await this.platform.auth.dataSource.query(
      `SELECT payload FROM auth.${this.name} ORDER BY seq`,
    );
    const types = filter.type === undefined ? undefined : ([] as AuditEventType[]).concat(filter.type);
    return rows
      .map((r) => r.payload)
      .filter(
        (e) =>
          (filter.correlationId === undefined || e.correlationId === filter.correlationId) &&
          (types === undefined || types.includes(e.type)) &&
          (filter.targetId === undefined || e.target?.id === filter.targetId) &&
          (filter.actorUserId === undefined || e.actor.userId === filter.actorUserId),
      );
  }

  async stop(): Promise<void> {
    const db = this.platform.auth.dataSource;
    await db.query(`DROP TRIGGER ${this.name} ON auth.outbox`);
    await db.query(`DROP FUNCTION auth.${this.name}()`);
    await db.query(`DROP TABLE auth.${this.name}`);
  }
}
