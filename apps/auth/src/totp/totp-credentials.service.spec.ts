import { EntityManager } from 'typeorm';
import { Clock } from '@app/config';
import { DomainError, ErrorCode, NotificationJob, Principal } from '@app/contracts';
import { FakeClock, MockOf, newTestService } from '@app/testing';
import { SecretBox } from '../crypto/secret-box';
import { StepUpService } from '../flows/step-up.service';
import { recordedFacts } from '../users/audit-facts.fake';
import { LoginAccount } from '../users/login-account';
import { LoginAccountRepository } from '../users/login-account.repository';
import { User } from '../users/user.entity';
import { UserNotices } from '../users/user-notices';
import { TotpCodes } from './totp-codes';
import { TotpCredential } from './totp-credential.entity';
import { TotpCredentialsService } from './totp-credentials.service';
import { TotpRepository } from './totp.repository';

describe(TotpCredentialsService.name, () => {
  const clock = new FakeClock(new Date('2026-01-01T00:00:00Z'));
  const manager = {} as EntityManager;
  const caller = { id: 'u1', tenant: 'N1' } as Principal;
  const alice: LoginAccount = { user: { id: 'u1', userId: 'alice' } as User, memberships: [] };
  const pending = { userId: 'u1', secretEnc: 'sealed', enabledAt: null } as TotpCredential;
  let sut: TotpCredentialsService;
  let totp: MockOf<TotpRepository>;
  let stepUp: MockOf<StepUpService>;
  let codes: MockOf<TotpCodes>;
  let notices: MockOf<UserNotices>;
  let facts: { record: jest.Mock };

  beforeEach(async () => {
    const t = await newTestService(TotpCredentialsService, [{ provide: Clock, useValue: clock }]);
    sut = t.sut;
    totp = t.mock(TotpRepository);
    totp.transaction.mockImplementation(async (work) => work(manager));
    totp.startEnrolment.mockResolvedValue(true);
    totp.lock.mockResolvedValue(pending);
    t.mock(LoginAccountRepository).ofCaller.mockResolvedValue(alice);
    stepUp = t.mock(StepUpService);
    codes = t.mock(TotpCodes);
    codes.newSecret.mockReturnValue('SECRET');
    codes.uri.mockReturnValue('otpauth://totp/Mamori:alice');
    codes.qrCode.mockResolvedValue('data:image/png;base64,');
    codes.stepOf.mockResolvedValue(1000);
    const box = t.mock(SecretBox);
    box.seal.mockImplementation((plain, context) => `sealed(${plain},${context})`);
    box.open.mockReturnValue('SECRET');
    notices = t.mock(UserNotices);
    notices.notice.mockReturnValue({ template: 'mfa-changed' } as unknown as NotificationJob);
    ({ facts } = recordedFacts(t));
  });

  describe('enrol', () => {
    it('asks for a fresh second step first (AUTH-12)', async () => {
      stepUp.require.mockRejectedValue(new DomainError(ErrorCode.StepUpRequired));
      await expect(sut.enrol(caller)).rejects.toMatchObject({ code: ErrorCode.StepUpRequired });
      expect(stepUp.require).toHaveBeenCalledWith(caller, 'totp.enrol');
      expect(totp.startEnrolment).not.toHaveBeenCalled();
    });

    it('refuses while an app is enabled, so a stolen session cannot swap it silently', async () => {
      totp.startEnrolment.mockResolvedValue(false);
      await expect(sut.enrol(caller)).rejects.toMatchObject({
        code: ErrorCode.Conflict,
        details: { reason: 'totp_already_enabled' },
      });
      expect(facts.record).not.toHaveBeenCalled();
    });

    it('stores the secret sealed for the user and shows it once under the login ID', async () => {
      const view = await sut.enrol(caller);
      expect(totp.startEnrolment).toHaveBeenCalledWith(manager, 'u1', 'sealed(SECRET,u1)', clock.now());
      expect(codes.uri).toHaveBeenCalledWith('alice', 'SECRET');
      expect(view).toEqual({
        secret: 'SECRET',
        otpauthUri: 'otpauth://totp/Mamori:alice',
        qrCode: 'data:image/png;base64,',
      });
      expect(facts.record).toHaveBeenCalledWith(manager, {
        type: 'auth.totp.enrolment_started',
        target: { type: 'user', id: 'u1' },
        outcome: 'success',
      });
    });
  });

  describe('confirm', () => {
    it.each([
      ['no app enrolled', null, 'totp_not_enrolled'],
      ['an app already enabled', { ...pending, enabledAt: clock.now() }, 'totp_already_enabled'],
    ])('refuses with %s', async (_name, credential, reason) => {
      totp.lock.mockResolvedValue(credential as TotpCredential | null);
      await expect(sut.confirm(caller, '123456')).rejects.toMatchObject({
        code: ErrorCode.Conflict,
        details: { reason },
      });
      expect(totp.enable).not.toHaveBeenCalled();
    });

    it('refuses a wrong code and enables nothing', async () => {
      codes.stepOf.mockResolvedValue(null);
      await expect(sut.confirm(caller, '000000')).rejects.toMatchObject({
        code: ErrorCode.InvalidCode,
      });
      expect(totp.enable).not.toHaveBeenCalled();
      expect(notices.send).not.toHaveBeenCalled();
    });

    it('enables the app with the code’s step as used (no replay at login) and tells the owner', async () => {
      await sut.confirm(caller, '123456');
      expect(codes.stepOf).toHaveBeenCalledWith('SECRET', '123456', clock.now());
      expect(totp.enable).toHaveBeenCalledWith(manager, 'u1', 1000, clock.now());
      expect(facts.record).toHaveBeenCalledWith(manager, {
        type: 'auth.totp.enabled',
        target: { type: 'user', id: 'u1' },
        outcome: 'success',
      });
      expect(notices.notice).toHaveBeenCalledWith(alice, 'mfa-changed', { change: 'totp_added' });
    });
  });

  describe('disable', () => {
    it('answers not_found when there is no app', async () => {
      totp.remove.mockResolvedValue(null);
      await expect(sut.disable(caller)).rejects.toMatchObject({ code: ErrorCode.NotFound });
      expect(facts.record).not.toHaveBeenCalled();
    });

    it('announces the removal of an enabled app', async () => {
      totp.remove.mockResolvedValue({ enabledAt: clock.now() });
      await sut.disable(caller);
      expect(stepUp.require).toHaveBeenCalledWith(caller, 'totp.disable');
      expect(facts.record).toHaveBeenCalledWith(manager, {
        type: 'auth.totp.disabled',
        target: { type: 'user', id: 'u1' },
        outcome: 'success',
        reasons: ['enabled'],
      });
      expect(notices.notice).toHaveBeenCalledWith(alice, 'mfa-changed', { change: 'totp_removed' });
    });

    it('records but does not announce a pending enrolment removed: it was never a second factor', async () => {
      totp.remove.mockResolvedValue({ enabledAt: null });
      await sut.disable(caller);
      expect(facts.record).toHaveBeenCalledWith(manager, expect.objectContaining({ reasons: ['pending'] }));
      expect(notices.send).not.toHaveBeenCalled();
    });
  });
});
