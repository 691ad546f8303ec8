import { EntityManager } from 'typeorm';
import { Clock } from '@app/config';
import {
  ErrorCode,
  MfaResetRequest,
  NotificationJob,
  PhoneLineCancelledRequest,
  Principal,
} from '@app/contracts';
import { FakeClock, MockOf, newTestService } from '@app/testing';
import { StepUpService } from '../flows/step-up.service';
import { SessionsService } from '../sessions/sessions.service';
import { AuditFacts, FactRecorder } from '../users/audit-facts';
import { CallerVerifier } from '../users/caller-verifier';
import { LoginAccount } from '../users/login-account';
import { User } from '../users/user.entity';
import { UserNotices } from '../users/user-notices';
import { UsersService } from '../users/users.service';
import { MeRepository } from './me.repository';
import { OperatorMfaService } from './operator-mfa.service';
import { SmsSwitchOff } from './sms-switch-off.service';

describe(OperatorMfaService.name, () => {
  const clock = new FakeClock(new Date('2026-01-01T00:00:00Z'));
  const manager = {} as EntityManager;
  const operator = { id: 'op-1', role: 'operator' } as Principal;
  const alice: LoginAccount = {
    user: {
      id: 'u1',
      email: 'alice@example.com',
      familyName: 'Sato',
      givenName: null,
      phone: '+819012345678',
    } as User,
    memberships: [{ tenantNumber: 'N1', tenantName: 'Alpha', role: 'user', mfaAlways: false }],
  };
  const matching = {
    id: 'u1',
    caseNumber: 'CS0000001',
    email: 'alice@example.com',
    familyName: 'Sato',
    company: 'Alpha',
  };
  let sut: OperatorMfaService;
  let stepUp: MockOf<StepUpService>;
  let users: MockOf<UsersService>;
  let resets: MockOf<MeRepository>;
  let sessions: MockOf<SessionsService>;
  let notices: MockOf<UserNotices>;
  let smsSwitchOff: MockOf<SmsSwitchOff>;
  let auditFacts: MockOf<AuditFacts>;
  let facts: { record: jest.Mock };

  beforeEach(async () => {
    const t = await newTestService(OperatorMfaService, [{ provide: Clock, useValue: clock }]);
    sut = t.sut;
    t.mock(CallerVerifier).operator.mockResolvedValue(operator);
    stepUp = t.mock(StepUpService);
    users = t.mock(UsersService);
    users.findAccountById.mockResolvedValue(alice);
    resets = t.mock(MeRepository);
    resets.transaction.mockImplementation(async (work) => work(manager));
    sessions = t.mock(SessionsService);
    notices = t.mock(UserNotices);
    notices.notice.mockReturnValue({ template: 'mfa-reset' } as unknown as NotificationJob);
    smsSwitchOff = t.mock(SmsSwitchOff);
    facts = { record: jest.fn() };
    auditFacts = t.mock(AuditFacts);
    auditFacts.ofOperator.mockReturnValue(facts as unknown as FactRecorder);
  });

  describe('resetMfa', () => {
    it('asks for step-up, and refuses an operator’s reset of their own MFA', async () => {
      await expect(
        sut.resetMfa(operator, { ...matching, id: 'op-1' } as MfaResetRequest),
      ).rejects.toMatchObject({
        code: ErrorCode.Forbidden,
      });
      expect(stepUp.require).toHaveBeenCalledWith(operator, 'mfa.reset');
      expect(resets.removeSecondFactors).not.toHaveBeenCalled();
    });

    it('answers `not_found` for an unknown user', async () => {
      users.findAccountById.mockResolvedValue(null);
      await expect(sut.resetMfa(operator, matching as MfaResetRequest)).rejects.toMatchObject({
        code: ErrorCode.NotFound,
      });
    });

    it('refuses when the identity does not match, recording field names only, and changes nothing', async () => {
      await expect(
        sut.resetMfa(operator, { ...matching, email: 'someone@example.com' } as MfaResetRequest),
      ).rejects.toMatchObject({ code: ErrorCode.IdentityCheckFailed, details: { fields: ['email'] } });
      expect(auditFacts.ofOperator).toHaveBeenCalledWith(operator, ['N1']);
      expect(facts.record).toHaveBeenCalledWith(manager, {
        type: 'auth.mfa.reset_refused',
        target: { type: 'user', id: 'u1' },
        outcome: 'denied',
        reasons: ['email', 'case:CS0000001'],
      });
      expect(resets.removeSecondFactors).not.toHaveBeenCalled();
      expect(sessions.revokeAllForUser).not.toHaveBeenCalled();
    });

    it('removes the second factors, ends every session, records the case and tells the user', async () => {
      await sut.resetMfa(operator, matching as MfaResetRequest);
      // SMS stays off: the operator did not confirm the phone with the caller.
      expect(resets.removeSecondFactors).toHaveBeenCalledWith(manager, 'u1', clock.now(), false);
      expect(sessions.revokeAllForUser).toHaveBeenCalledWith('u1', 'mfa_reset', manager);
      expect(facts.record).toHaveBeenCalledWith(manager, {
        type: 'auth.mfa.reset',
        target: { type: 'user', id: 'u1' },
        outcome: 'success',
        reasons: ['case:CS0000001'],
      });
      expect(notices.notice).toHaveBeenCalledWith(alice, 'mfa-reset', { caseNumber: 'CS0000001' });
      expect(notices.send).toHaveBeenCalled();
    });

    it('turns SMS codes back on only when the operator confirmed the phone', async () => {
      await sut.resetMfa(operator, { ...matching, phone: '+819012345678' } as MfaResetRequest);
      expect(resets.removeSecondFactors).toHaveBeenCalledWith(manager, 'u1', clock.now(), true);
    });
  });

  describe('phoneLineCancelled', () => {
    it('answers `conflict` for a number that is not the registered one, and changes nothing', async () => {
      const request = { id: 'u1', phone: '+819000000000' } as PhoneLineCancelledRequest;
      await expect(sut.phoneLineCancelled(operator, request)).rejects.toMatchObject({
        code: ErrorCode.Conflict,
      });
      expect(stepUp.require).toHaveBeenCalledWith(operator, 'phone_line.cancelled');
      expect(smsSwitchOff.switchOff).not.toHaveBeenCalled();
    });

    it('switches SMS codes off for the registered line and tells the user', async () => {
      const notice = { template: 'sms-disabled' } as unknown as NotificationJob;
      smsSwitchOff.switchOff.mockResolvedValue(notice);
      await sut.phoneLineCancelled(operator, { id: 'u1' } as PhoneLineCancelledRequest);
      expect(smsSwitchOff.switchOff).toHaveBeenCalledWith(
        manager,
        alice,
        'line_cancelled',
        { userId: 'op-1' },
        '+819012345678',
      );
      expect(notices.send).toHaveBeenCalledWith(notice);
    });
  });
});
