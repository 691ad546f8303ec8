import { Inject, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { APP_CONFIG, AuthEnv, Clock } from '@app/config';
import {
  DomainError,
  ErrorCode,
  Principal,
  SecurityPolicyView,
  UpdateSecurityPolicyDto,
} from '@app/contracts';
import { OutboxWriter } from '@app/database';
import { StepUpService } from '../flows/step-up.service';
import { TrustedBrowsersRepository } from '../trusted-browsers/trusted-browsers.repository';
import { MAX_TRUSTED_BROWSER_TTL_SECONDS } from '../trusted-browsers/trusted-browser-ttl.util';
import { CallerVerifier } from '../users/caller-verifier';

const DAY_SECONDS = 24 * 60 * 60;

interface PolicyRow {
  mfa_always: boolean;
  trusted_browser_ttl_seconds: number | null;
}

/**
 * The active tenant's login security policy, set by its admins (AUTH-5, AUTH-9): a second step for
 * everyone ("always"), and how long a trusted browser skips it (1–90 days, or the platform default).
 */
@Injectable()
export class TenantSecurityPolicyService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly callers: CallerVerifier,
    private readonly stepUp: StepUpService,
    private readonly browsers: TrustedBrowsersRepository,
    private readonly outbox: OutboxWriter,
    private readonly clock: Clock,
    @Inject(APP_CONFIG) private readonly config: AuthEnv,
  ) {}

  async get(principal: Principal | undefined): Promise<SecurityPolicyView> {
    const { tenant } = await this.callers.tenantAdmin(principal);
    const rows: PolicyRow[] = await this.dataSource.query(
      `SELECT mfa_always, trusted_browser_ttl_seconds FROM auth.tenant WHERE number = $1`,
      [tenant],
    );
    if (rows.length === 0) {
      throw new DomainError(ErrorCode.NotFound);
    }
    return toView(rows[0]);
  }

  /**
   * Changes the given fields (step-up, AUTH-12). A shorter trust applies to browsers already trusted
   * by the tenant's users too: a policy that says "1 day" must not leave 90-day tokens behind.
   */
  async update(principal: Principal | undefined, dto: UpdateSecurityPolicyDto): Promise<SecurityPolicyView> {
    const { principal: admin, tenant } = await this.callers.tenantAdmin(principal);
    await this.stepUp.require(admin, 'tenant.security_policy.update');
    return this.dataSource.transaction(async (manager) => {
      const rows: PolicyRow[] = await manager.query(
        `SELECT mfa_always, trusted_browser_ttl_seconds FROM auth.tenant WHERE number = $1 FOR UPDATE`,
        [tenant],
      );
      if (rows.length === 0) {
        throw new DomainError(ErrorCode.NotFound);
      }
      const before = rows[0];
      const after: PolicyRow = {
        mfa_always: dto.mfaAlways ?? before.mfa_always,
        trusted_browser_ttl_seconds:
          dto.trustedBrowserDays === undefined
            ? before.trusted_browser_ttl_seconds
            : dto.trustedBrowserDays === null
              ? null
              : dto.trustedBrowserDays * DAY_SECONDS,
      };
      const changes: string[] = [];
      if (after.mfa_always !== before.mfa_always) {
        changes.push(after.mfa_always ? 'mfa_always_on' : 'mfa_always_off');
      }
      if (after.trusted_browser_ttl_seconds !== before.trusted_browser_ttl_seconds) {
        const days = toView(after).trustedBrowserDays;
        changes.push(days === null ? 'trusted_browser_default' : `trusted_browser_days_${days}`);
      }
      if (changes.length === 0) {
        return toView(before);
      }
      await manager.query(
        `UPDATE auth.tenant SET mfa_always = $2, trusted_browser_ttl_seconds = $3 WHERE number = $1`,
        [tenant, after.mfa_always, after.trusted_browser_ttl_seconds],
      );
      const ttl = Math.min(
        after.trusted_browser_ttl_seconds ?? this.config.TRUSTED_BROWSER_TTL_SECONDS,
        MAX_TRUSTED_BROWSER_TTL_SECONDS,
      );
      await this.browsers.capForTenant(manager, tenant, ttl, this.clock.now());
      await this.outbox.record(manager, {
        type: 'auth.tenant.security_policy_updated',
        actor: { userId: admin.id, tenant },
        target: { type: 'tenant', id: tenant },
        outcome: 'success',
        reasons: changes,
        tenants: [tenant],
      });
      return toView(after);
    });
  }
}

function toView(row: PolicyRow): SecurityPolicyView {
  return {
    mfaAlways: row.mfa_always,
    trustedBrowserDays:
      row.trusted_browser_ttl_seconds === null
        ? null
        : Math.round(row.trusted_browser_ttl_seconds / DAY_SECONDS),
  };
}
