import { EntityManager } from 'typeorm';
import { Clock } from '@app/config';
import { NotificationJob } from '@app/contracts';
import { FakeClock, MockOf, newTestService } from '@app/testing';
import { AuditFacts } from '../users/audit-facts';
import { auditFactsOverMockedOutbox, MockedOutbox } from '../users/audit-facts-test.util';
import { LoginAccount } from '../users/login-account';
import { User } from '../users/user.entity';
import { UserNotices } from '../users/user-notices';
import { MeRepository } from './me.repository';
import { SmsSwitchOff } from './sms-switch-off.service';

describe(SmsSwitchOff.name, () => {
  const clock = new FakeClock(new Date('2026-01-01T00:00:00Z'));
  const manager = {} as EntityManager;
  const alice: LoginAccount = {
    user: { id: 'u1', phone: '+819012345678' } as User,
    memberships: [{ tenantNumber: 'N1', tenantName: 'Alpha', role: 'user', mfaAlways: false }],
  };
  const actor = { userId: 'u1', tenant: 'N1' };
  let sut: SmsSwitchOff;
  let me: MockOf<MeRepository>;
  let outbox: MockedOutbox;
  let notices: MockOf<UserNotices>;

  beforeEach(async () => {
    let facts: AuditFacts;
    ({ outbox, facts } = auditFactsOverMockedOutbox());
    const t = await newTestService(SmsSwitchOff, [
      { provide: Clock, useValue: clock },
      // The real helper over a mocked writer: the stored fact's fields are what is checked.
      { provide: AuditFacts, useValue: facts },
    ]);
    sut = t.sut;
    me = t.mock(MeRepository);
    notices = t.mock(UserNotices);
    notices.notice.mockReturnValue({ template: 'sms-disabled' } as unknown as NotificationJob);
  });

  it('switches SMS codes off, records the fact for the account’s tenants and returns the notice', async () => {
    me.switchOffSms.mockResolvedValue(true);
    const notice = await sut.switchOff(manager, alice, 'phone_removed', actor);
    expect(me.switchOffSms).toHaveBeenCalledWith(manager, 'u1', clock.now(), 'phone_removed', null);
    expect(outbox.record).toHaveBeenCalledWith(manager, {
      type: 'auth.mfa.sms_disabled',
      actor,
      target: { type: 'user', id: 'u1' },
      outcome: 'success',
      reasons: ['phone_removed'],
      tenants: ['N1'],
    });
    expect(notices.notice).toHaveBeenCalledWith(alice, 'sms-disabled', { reason: 'phone_removed' });
    expect(notice).toEqual({ template: 'sms-disabled' });
  });

  it('records nothing and returns no notice when SMS codes were already off (one switch-off, one notice)', async () => {
    me.switchOffSms.mockResolvedValue(false);
    expect(await sut.switchOff(manager, alice, 'line_cancelled', actor)).toBeNull();
    expect(outbox.record).not.toHaveBeenCalled();
    expect(notices.notice).not.toHaveBeenCalled();
  });

  it('switches off only for the number named, so a notice about an old line spares a new one', async () => {
    me.switchOffSms.mockResolvedValue(false);
    await sut.switchOff(manager, alice, 'line_cancelled', actor, '+819000000000');
    expect(me.switchOffSms).toHaveBeenCalledWith(
      manager,
      'u1',
      clock.now(),
      'line_cancelled',
      '+819000000000',
    );
  });
});
