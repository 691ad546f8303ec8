import { EntityManager } from 'typeorm';
import { APP_CONFIG, Clock } from '@app/config';
import { CallContext, DomainError, ErrorCode, Principal } from '@app/contracts';
import { FakeClock, MockOf, newTestService } from '@app/testing';
import { SecretHasher } from '../crypto/secret-hasher';
import { StepUpService } from '../flows/step-up.service';
import { AuditFacts } from '../users/audit-facts';
import { recordedFacts } from '../users/audit-facts.fake';
import { LoginAccount } from '../users/login-account';
import { LoginAccountRepository } from '../users/login-account.repository';
import { User } from '../users/user.entity';
import { TrustedBrowsersRepository } from './trusted-browsers.repository';
import { TrustedBrowsersService } from './trusted-browsers.service';

describe(TrustedBrowsersService.name, () => {
  const clock = new FakeClock(new Date('2026-01-01T00:00:00Z'));
  const manager = {} as EntityManager;
  const caller = { id: '6f1c7c1e-3a52-4d0e-9a39-7d3f2b1d6a11', tenant: 'N1' } as Principal;
  const browserId = '0b5c3f0a-2f6e-4b8e-8d7a-3c9b1e2d4f50';
  const alice: LoginAccount = {
    user: { id: caller.id } as User,
    memberships: [{ tenantNumber: 'N1', tenantName: 'Alpha', role: 'user', mfaAlways: false }],
  };
  const ctx = { userAgent: 'Firefox', ip: '192.0.2.1' } as CallContext;
  let sut: TrustedBrowsersService;
  let browsers: MockOf<TrustedBrowsersRepository>;
  let stepUp: MockOf<StepUpService>;
  let auditFacts: MockOf<AuditFacts>;
  let facts: { record: jest.Mock };

  beforeEach(async () => {
    const t = await newTestService(TrustedBrowsersService, [
      { provide: Clock, useValue: clock },
      { provide: APP_CONFIG, useValue: { TRUSTED_BROWSER_TTL_SECONDS: 86_400 } },
    ]);
    sut = t.sut;
    browsers = t.mock(TrustedBrowsersRepository);
    browsers.transaction.mockImplementation(async (work) => work(manager));
    browsers.tenantTtlSettings.mockResolvedValue([]);
    browsers.insert.mockResolvedValue(true);
    const secrets = t.mock(SecretHasher);
    secrets.randomToken.mockReturnValue('device-token');
    secrets.hmac.mockImplementation((value) => `hmac(${value})`);
    t.mock(LoginAccountRepository).ofCaller.mockResolvedValue(alice);
    stepUp = t.mock(StepUpService);
    ({ auditFacts, facts } = recordedFacts(t));
  });

  describe('issue', () => {
    it.each([' ', 'x'.repeat(101)])('refuses a name of %j', async (name) => {
      await expect(sut.issue(manager, alice, name, ctx)).rejects.toMatchObject({
        code: ErrorCode.ValidationFailed,
      });
      expect(browsers.insert).not.toHaveBeenCalled();
    });

    it('keeps only the token’s HMAC, trusts the browser for the TTL and records the fact (AUTH-9)', async () => {
      expect(await sut.issue(manager, alice, ' Office PC ', ctx)).toBe('device-token');
      expect(browsers.insert).toHaveBeenCalledWith(manager, {
        id: expect.any(String),
        userId: caller.id,
        tokenHmac: 'hmac(device-token)',
        name: 'Office PC',
        createdAt: clock.now(),
        expiresAt: new Date(clock.now().getTime() + 86_400_000),
        userAgent: 'Firefox',
        ip: '192.0.2.1',
      });
      expect(auditFacts.of).toHaveBeenCalledWith(alice);
      expect(facts.record).toHaveBeenCalledWith(manager, {
        type: 'auth.trusted_browser.added',
        target: { type: 'trusted_browser', id: expect.any(String) },
        outcome: 'success',
      });
    });

    it('returns no token and records nothing when the browser was not stored', async () => {
      browsers.insert.mockResolvedValue(false);
      expect(await sut.issue(manager, alice, 'Office PC', ctx)).toBeUndefined();
      expect(facts.record).not.toHaveBeenCalled();
    });
  });

  it('recognises no empty device token without asking the database', async () => {
    expect(await sut.recognise(caller.id, '')).toBeNull();
    expect(browsers.use).not.toHaveBeenCalled();
  });

  describe('revoke', () => {
    it('asks for a fresh second step first (AUTH-12)', async () => {
      stepUp.require.mockRejectedValue(new DomainError(ErrorCode.StepUpRequired));
      await expect(sut.revoke(caller, browserId)).rejects.toMatchObject({
        code: ErrorCode.StepUpRequired,
      });
      expect(browsers.revokeLive).not.toHaveBeenCalled();
    });

    it('answers not_found for an id that is not a uuid or not the caller’s', async () => {
      await expect(sut.revoke(caller, 'nope')).rejects.toMatchObject({ code: ErrorCode.NotFound });
      browsers.revokeLive.mockResolvedValue([]);
      await expect(sut.revoke(caller, browserId)).rejects.toMatchObject({
        code: ErrorCode.NotFound,
      });
    });

    it('records one revocation per browser revoked, in the caller’s tenant', async () => {
      browsers.revokeLive.mockResolvedValue(['b1', 'b2']);
      await sut.revokeAll(caller);
      expect(browsers.revokeLive).toHaveBeenCalledWith(manager, caller.id, clock.now(), undefined);
      expect(auditFacts.of).toHaveBeenCalledWith(alice, 'N1');
      expect(facts.record.mock.calls).toEqual([
        [
          manager,
          {
            type: 'auth.trusted_browser.revoked',
            target: { type: 'trusted_browser', id: 'b1' },
            outcome: 'success',
            reasons: ['user_revoked_all'],
          },
        ],
        [manager, expect.objectContaining({ target: { type: 'trusted_browser', id: 'b2' } })],
      ]);
    });
  });

  it('refuses a caller without an id', async () => {
    await expect(sut.list(undefined)).rejects.toMatchObject({ code: ErrorCode.Unauthorized });
  });
});
