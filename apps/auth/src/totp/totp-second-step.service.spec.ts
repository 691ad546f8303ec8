import { EntityManager } from 'typeorm';
import { ErrorCode } from '@app/contracts';
import { MockOf, newTestService } from '@app/testing';
import { SecretBox } from '../crypto/secret-box';
import { LoginFlow } from '../flows/login-flow.entity';
import { SecondStepMethod } from '../flows/second-step-method';
import { SecondStepMethods } from '../flows/second-step-methods';
import { AuditFacts } from '../users/audit-facts';
import { recordedFacts } from '../users/audit-facts.fake';
import { LoginAccount } from '../users/login-account';
import { User } from '../users/user.entity';
import { TotpCodes } from './totp-codes';
import { TotpCredential } from './totp-credential.entity';
import { TotpSecondStepService } from './totp-second-step.service';
import { TotpRepository } from './totp.repository';

describe(TotpSecondStepService.name, () => {
  const now = new Date('2026-01-01T00:00:00Z');
  const manager = {} as EntityManager;
  // A login flow acts in no tenant yet: no session is read for it.
  const flow = { id: 'f1', purpose: 'login', sessionId: null } as LoginFlow;
  const alice: LoginAccount = { user: { id: 'u1' } as User, memberships: [] };
  const enabled = { userId: 'u1', secretEnc: 'sealed', enabledAt: now } as TotpCredential;
  let method: SecondStepMethod;
  let totp: MockOf<TotpRepository>;
  let codes: MockOf<TotpCodes>;
  let auditFacts: MockOf<AuditFacts>;
  let facts: { record: jest.Mock };

  beforeEach(async () => {
    const t = await newTestService(TotpSecondStepService);
    t.mock(SecondStepMethods).register.mockImplementation((m) => {
      method = m;
    });
    t.sut.onModuleInit();
    totp = t.mock(TotpRepository);
    totp.findEnabled.mockResolvedValue(enabled);
    totp.advanceStep.mockResolvedValue(true);
    codes = t.mock(TotpCodes);
    codes.stepOf.mockResolvedValue(1000);
    t.mock(SecretBox).open.mockReturnValue('SECRET');
    ({ auditFacts, facts } = recordedFacts(t));
  });

  describe('offer', () => {
    it('trusts what the login’s single read preloaded', async () => {
      expect(await method.offer({ ...alice, preloaded: { totpEnabled: true } } as LoginAccount)).toEqual({
        type: 'totp',
      });
      expect(totp.hasEnabled).not.toHaveBeenCalled();
    });

    it('offers nothing without an enabled app', async () => {
      totp.hasEnabled.mockResolvedValue(false);
      expect(await method.offer(alice)).toBeNull();
      expect(totp.hasEnabled).toHaveBeenCalledWith('u1');
    });
  });

  describe('verify', () => {
    it('asks for a code', async () => {
      await expect(method.verify(manager, flow, alice, '', now)).rejects.toMatchObject({
        code: ErrorCode.ValidationFailed,
      });
    });

    it('refuses the method when the app was disabled since it was offered', async () => {
      totp.findEnabled.mockResolvedValue(null);
      await expect(method.verify(manager, flow, alice, '123456', now)).rejects.toMatchObject({
        code: ErrorCode.MethodNotAvailable,
      });
    });

    it('answers a wrong code as a failure without touching the last step', async () => {
      codes.stepOf.mockResolvedValue(null);
      expect(await method.verify(manager, flow, alice, '000000', now)).toEqual({ ok: false });
      expect(codes.stepOf).toHaveBeenCalledWith('SECRET', '000000', now);
      expect(totp.advanceStep).not.toHaveBeenCalled();
    });

    it('accepts a right code once, moving the last used step to it', async () => {
      expect(await method.verify(manager, flow, alice, '123456', now)).toEqual({ ok: true });
      expect(totp.advanceStep).toHaveBeenCalledWith(manager, 'u1', 1000);
      expect(facts.record).not.toHaveBeenCalled();
    });

    it('refuses and records a code whose step was already used (a replay)', async () => {
      totp.advanceStep.mockResolvedValue(false);
      expect(await method.verify(manager, flow, alice, '123456', now)).toEqual({ ok: false });
      expect(auditFacts.of).toHaveBeenCalledWith(alice, null);
      expect(facts.record).toHaveBeenCalledWith(manager, {
        type: 'auth.totp.replay_refused',
        target: { type: 'login_flow', id: 'f1' },
        outcome: 'denied',
        reasons: ['totp_step_used'],
      });
    });
  });
});
