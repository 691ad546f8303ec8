import { EntityManager } from 'typeorm';
import { APP_CONFIG, Clock } from '@app/config';
import { ErrorCode, Principal } from '@app/contracts';
import { FakeClock, MockOf, newTestService } from '@app/testing';
import { StepUpService } from '../flows/step-up.service';
import { TrustedBrowsersRepository } from '../trusted-browsers/trusted-browsers.repository';
import { MAX_TRUSTED_BROWSER_TTL_SECONDS } from '../trusted-browsers/trusted-browser-ttl.util';
import { AuditFacts, FactRecorder } from '../users/audit-facts';
import { CallerVerifier, TenantAdminCaller } from '../users/caller-verifier';
import { TenantSecurityPolicyRepository } from './tenant-security-policy.repository';
import { TenantSecurityPolicyService } from './tenant-security-policy.service';

describe(TenantSecurityPolicyService.name, () => {
  const DAY = 24 * 60 * 60;
  const DEFAULT_TTL = 30 * DAY;
  const clock = new FakeClock(new Date('2026-01-01T00:00:00Z'));
  const manager = {} as EntityManager;
  const admin: TenantAdminCaller = { principal: { id: 'admin-1', role: 'admin' } as Principal, tenant: 'N1' };
  let sut: TenantSecurityPolicyService;
  let policies: MockOf<TenantSecurityPolicyRepository>;
  let browsers: MockOf<TrustedBrowsersRepository>;
  let stepUp: MockOf<StepUpService>;
  let facts: { record: jest.Mock };

  beforeEach(async () => {
    const t = await newTestService(TenantSecurityPolicyService, [
      { provide: Clock, useValue: clock },
      { provide: APP_CONFIG, useValue: { TRUSTED_BROWSER_TTL_SECONDS: DEFAULT_TTL } },
    ]);
    sut = t.sut;
    t.mock(CallerVerifier).tenantAdmin.mockResolvedValue(admin);
    policies = t.mock(TenantSecurityPolicyRepository);
    policies.transaction.mockImplementation(async (work) => work(manager));
    policies.find.mockResolvedValue({ mfa_always: false, trusted_browser_ttl_seconds: null });
    browsers = t.mock(TrustedBrowsersRepository);
    stepUp = t.mock(StepUpService);
    facts = { record: jest.fn() };
    t.mock(AuditFacts).ofAdmin.mockReturnValue(facts as unknown as FactRecorder);
  });

  it('shows the trust in whole days, null for the platform default', async () => {
    expect(await sut.get(admin.principal)).toEqual({ mfaAlways: false, trustedBrowserDays: null });
    policies.find.mockResolvedValue({ mfa_always: true, trusted_browser_ttl_seconds: 7 * DAY });
    expect(await sut.get(admin.principal)).toEqual({ mfaAlways: true, trustedBrowserDays: 7 });
    policies.find.mockResolvedValue(null);
    await expect(sut.get(admin.principal)).rejects.toMatchObject({ code: ErrorCode.NotFound });
  });

  it('asks for step-up, and changes nothing and records nothing when nothing differs', async () => {
    expect(await sut.update(admin.principal, { mfaAlways: false })).toEqual({
      mfaAlways: false,
      trustedBrowserDays: null,
    });
    expect(stepUp.require).toHaveBeenCalledWith(admin.principal, 'tenant.security_policy.update');
    expect(policies.find).toHaveBeenCalledWith('N1', true, manager);
    expect(policies.save).not.toHaveBeenCalled();
    expect(facts.record).not.toHaveBeenCalled();
  });

  it('names each change in the fact, and caps the trust of browsers already trusted', async () => {
    const view = await sut.update(admin.principal, { mfaAlways: true, trustedBrowserDays: 1 });
    expect(view).toEqual({ mfaAlways: true, trustedBrowserDays: 1 });
    expect(policies.save).toHaveBeenCalledWith(manager, 'N1', {
      mfa_always: true,
      trusted_browser_ttl_seconds: DAY,
    });
    expect(browsers.capForTenant).toHaveBeenCalledWith(manager, 'N1', DAY, clock.now());
    expect(facts.record).toHaveBeenCalledWith(manager, {
      type: 'auth.tenant.security_policy_updated',
      target: { type: 'tenant', id: 'N1' },
      outcome: 'success',
      reasons: ['mfa_always_on', 'trusted_browser_days_1'],
    });
  });

  it('back to the platform default caps at the default, never above the maximum', async () => {
    policies.find.mockResolvedValue({ mfa_always: true, trusted_browser_ttl_seconds: DAY });
    await sut.update(admin.principal, { mfaAlways: false, trustedBrowserDays: null });
    expect(browsers.capForTenant).toHaveBeenCalledWith(
      manager,
      'N1',
      Math.min(DEFAULT_TTL, MAX_TRUSTED_BROWSER_TTL_SECONDS),
      clock.now(),
    );
    expect(facts.record).toHaveBeenCalledWith(
      manager,
      expect.objectContaining({ reasons: ['mfa_always_off', 'trusted_browser_default'] }),
    );
  });

  it('answers `not_found` for a tenant that is gone', async () => {
    policies.find.mockResolvedValue(null);
    await expect(sut.update(admin.principal, { mfaAlways: true })).rejects.toMatchObject({
      code: ErrorCode.NotFound,
    });
    expect(policies.save).not.toHaveBeenCalled();
  });
});
