import { EntityManager } from 'typeorm';
import { Clock } from '@app/config';
import { DomainError, ErrorCode, NotificationJob, Principal } from '@app/contracts';
import { FakeClock, MockOf, newTestService } from '@app/testing';
import { StepUpService } from '../flows/step-up.service';
import { AuditFacts } from '../users/audit-facts';
import { RecordedFacts, recordedFacts } from '../users/audit-facts.fake';
import { LoginAccount } from '../users/login-account';
import { LoginAccountRepository } from '../users/login-account.repository';
import { User } from '../users/user.entity';
import { UserNotices } from '../users/user-notices';
import { MeRepository } from './me.repository';
import { ProfileService } from './profile.service';
import { SmsSwitchOff } from './sms-switch-off.service';

describe(ProfileService.name, () => {
  const clock = new FakeClock(new Date('2026-01-01T00:00:00Z'));
  const manager = {} as EntityManager;
  const caller = { id: 'u1', tenant: 'N1' } as Principal;
  const stored = {
    id: 'u1',
    displayName: null,
    email: 'alice@example.com',
    phone: '+819012345678',
    smsDisabledAt: null,
    language: 'ja',
    timezone: 'Asia/Tokyo',
  } as unknown as User;
  const alice: LoginAccount = {
    user: stored,
    memberships: [{ tenantNumber: 'N1', tenantName: 'Alpha', role: 'user', mfaAlways: false }],
  };
  const actor = { userId: 'u1', tenant: 'N1' };
  let sut: ProfileService;
  let me: MockOf<MeRepository>;
  let stepUp: MockOf<StepUpService>;
  let smsSwitchOff: MockOf<SmsSwitchOff>;
  let notices: MockOf<UserNotices>;
  let auditFacts: MockOf<AuditFacts>;
  let facts: RecordedFacts['facts'];

  beforeEach(async () => {
    const t = await newTestService(ProfileService, [{ provide: Clock, useValue: clock }]);
    sut = t.sut;
    t.mock(LoginAccountRepository).ofCaller.mockResolvedValue(alice);
    me = t.mock(MeRepository);
    me.transaction.mockImplementation(async (work) => work(manager));
    me.lockUser.mockResolvedValue(stored);
    me.updateProfile.mockImplementation(async (_m, _id, patch) => ({ ...stored, ...patch }) as User);
    stepUp = t.mock(StepUpService);
    smsSwitchOff = t.mock(SmsSwitchOff);
    notices = t.mock(UserNotices);
    ({ auditFacts, facts } = recordedFacts(t, actor));
  });

  it('changes nothing and asks for no step-up when the form is sent back unchanged', async () => {
    const view = await sut.update(caller, { email: 'alice@example.com', language: 'ja' });
    expect(stepUp.require).not.toHaveBeenCalled();
    expect(me.transaction).not.toHaveBeenCalled();
    expect(view.email).toBe('alice@example.com');
  });

  it('changes a name or language without a step-up and records which fields changed', async () => {
    const view = await sut.update(caller, { displayName: 'Ali', language: 'en' });
    expect(stepUp.require).not.toHaveBeenCalled();
    expect(me.updateProfile).toHaveBeenCalledWith(
      manager,
      'u1',
      { displayName: 'Ali', language: 'en' },
      clock.now(),
    );
    expect(auditFacts.of).toHaveBeenCalledWith(expect.objectContaining({ user: expect.anything() }), 'N1');
    expect(facts.record).toHaveBeenCalledWith(manager, {
      type: 'auth.profile.updated',
      target: { type: 'user', id: 'u1' },
      outcome: 'success',
      reasons: ['displayName', 'language'],
    });
    expect(view.language).toBe('en');
  });

  it('asks for a fresh second step before a new e-mail address (AUTH-12)', async () => {
    stepUp.require.mockRejectedValue(new DomainError(ErrorCode.StepUpRequired));
    await expect(sut.update(caller, { email: 'new@example.com' })).rejects.toMatchObject({
      code: ErrorCode.StepUpRequired,
    });
    expect(stepUp.require).toHaveBeenCalledWith(caller, 'profile.email');
    expect(me.transaction).not.toHaveBeenCalled();
  });

  it('refuses when the account is gone by the time its row is locked', async () => {
    me.lockUser.mockResolvedValue(null);
    await expect(sut.update(caller, { language: 'en' })).rejects.toMatchObject({
      code: ErrorCode.SessionEnded,
    });
    expect(me.updateProfile).not.toHaveBeenCalled();
  });

  it('refuses with a conflict when a field became sensitive after the step-up was decided', async () => {
    // Planned on a stored phone equal to the one sent; the locked row has another number.
    me.lockUser.mockResolvedValue({ ...stored, phone: '+819099999999' } as User);
    await expect(sut.update(caller, { phone: '+819012345678', language: 'en' })).rejects.toMatchObject({
      code: ErrorCode.Conflict,
    });
    expect(me.updateProfile).not.toHaveBeenCalled();
  });

  it('switches SMS codes off when the phone is removed and sends the notices after commit (AUTH-19)', async () => {
    const switched = { template: 'sms-disabled' } as unknown as NotificationJob;
    const toOld = { template: 'contact-changed' } as unknown as NotificationJob;
    smsSwitchOff.switchOff.mockResolvedValue(switched);
    notices.contactChanged.mockReturnValue(toOld);
    await sut.update(caller, { phone: null });
    expect(stepUp.require).toHaveBeenCalledWith(caller, 'profile.phone');
    expect(smsSwitchOff.switchOff).toHaveBeenCalledWith(
      manager,
      expect.objectContaining({ user: expect.objectContaining({ phone: null }) }),
      'phone_removed',
      actor,
    );
    expect(notices.contactChanged).toHaveBeenCalledWith(expect.anything(), 'phone', '+819012345678');
    expect(notices.send).toHaveBeenCalledWith(switched, null, toOld);
  });
});
