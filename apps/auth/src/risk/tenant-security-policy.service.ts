import { Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG, AuthEnv, Clock } from '@app/config';
import {
  DomainError,
  ErrorCode,
  Principal,
  SecurityPolicyView,
  UpdateSecurityPolicyDto,
} from '@app/contracts';
import { StepUpService } from '../flows/step-up.service';
import { TrustedBrowsersRepository } from '../trusted-browsers/trusted-browsers.repository';
import { MAX_TRUSTED_BROWSER_TTL_SECONDS } from '../trusted-browsers/trusted-browser-ttl.util';
import { AuditFacts } from '../users/audit-facts';
import { CallerVerifier } from '../users/caller-verifier';
import { PolicyRow, TenantSecurityPolicyRepository } from './tenant-security-policy.repository';

const DAY_SECONDS = 24 * 60 * 60;

/**
 * The active tenant's login security policy, set by its admins (AUTH-5, AUTH-9): a second step for
 * everyone ("always"), and how long a trusted browser skips it (1–90 days, or the platform default).
 */
@Injectable()
export class TenantSecurityPolicyService {
  constructor(
    private readonly policies: TenantSecurityPolicyRepository,
    private readonly callers: CallerVerifier,
    private readonly stepUp: StepUpService,
    private readonly browsers: TrustedBrowsersRepository,
    private readonly facts: AuditFacts,
    private readonly clock: Clock,
    @Inject(APP_CONFIG) private readonly config: AuthEnv,
  ) {}

  async get(principal: Principal | undefined): Promise<SecurityPolicyView> {
    const { tenant } = await this.callers.tenantAdmin(principal);
    const row = await this.policies.find(tenant);
    if (!row) {
      throw new DomainError(ErrorCode.NotFound);
    }
    return toView(row);
  }

  /**
   * Changes the given fields (step-up, AUTH-12). A shorter trust applies to browsers already trusted
   * by the tenant's users too: a policy that says "1 day" must not leave 90-day tokens behind.
   */
  async update(principal: Principal | undefined, dto: UpdateSecurityPolicyDto): Promise<SecurityPolicyView> {
    const caller = await this.callers.tenantAdmin(principal);
    const { tenant } = caller;
    await this.stepUp.require(caller.principal, 'tenant.security_policy.update');
    return this.policies.transaction(async (manager) => {
      const before = await this.policies.find(tenant, true, manager);
      if (!before) {
        throw new DomainError(ErrorCode.NotFound);
      }
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
      await this.policies.save(manager, tenant, after);
      const ttl = Math.min(
        after.trusted_browser_ttl_seconds ?? this.config.TRUSTED_BROWSER_TTL_SECONDS,
        MAX_TRUSTED_BROWSER_TTL_SECONDS,
      );
      await this.browsers.capForTenant(manager, tenant, ttl, this.clock.now());
      await this.facts.ofAdmin(caller).record(manager, {
        type: 'auth.tenant.security_policy_updated',
        target: { type: 'tenant', id: tenant },
        outcome: 'success',
        reasons: changes,
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
