import { EntityManager } from 'typeorm';
import { LoginFlow } from './login-flow.entity';

/**
 * The tenant a flow acts in: a step-up's is its session's active tenant (the tenant where the
 * sensitive call was made); a login's is none yet. Its codes' recipients (AUTH-7) and the scope of
 * its audit facts (issue 16, AUDIT_EVENT_SCOPES) follow it.
 */
export async function actingTenantOf(
  manager: EntityManager,
  flow: Pick<LoginFlow, 'purpose' | 'sessionId'> | null,
): Promise<string | null> {
  if (!flow || flow.purpose !== 'step_up' || !flow.sessionId) {
    return null;
  }
  const rows: { active_tenant: string | null }[] = await manager.query(
    `SELECT active_tenant FROM auth.session WHERE id = $1`,
    [flow.sessionId],
  );
  return rows[0]?.active_tenant ?? null;
}
