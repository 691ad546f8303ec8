import { EntityManager } from 'typeorm';
import { Clock } from '@app/config';
import { CreateAdminUserDto, ErrorCode } from '@app/contracts';
import { FakeClock, MockOf, newTestService } from '@app/testing';
import { StepUpService } from '../flows/step-up.service';
import { PasswordHasher } from '../password/password-hasher';
import { PasswordPolicy } from '../password/password-policy';
import { AuditFacts, FactRecorder } from '../users/audit-facts';
import { CallerVerifier } from '../users/caller-verifier';
import { User } from '../users/user.entity';
import { UsersService } from '../users/users.service';
import { ADMIN } from './admin-member-step.fake';
import { AdminMembersRepository } from './admin-members.repository';
import { AdminUserCreation } from './admin-user-creation.service';

describe(AdminUserCreation.name, () => {
  const clock = new FakeClock(new Date('2026-01-01T00:00:00Z'));
  const manager = {} as EntityManager;
  const base: CreateAdminUserDto = { email: ' bob@example.com ', familyName: ' Sato ' } as CreateAdminUserDto;
  let sut: AdminUserCreation;
  let stepUp: MockOf<StepUpService>;
  let members: MockOf<AdminMembersRepository>;
  let policy: MockOf<PasswordPolicy>;
  let hasher: MockOf<PasswordHasher>;
  let facts: { record: jest.Mock };

  beforeEach(async () => {
    const t = await newTestService(AdminUserCreation, [{ provide: Clock, useValue: clock }]);
    sut = t.sut;
    t.mock(CallerVerifier).tenantAdmin.mockResolvedValue(ADMIN);
    stepUp = t.mock(StepUpService);
    members = t.mock(AdminMembersRepository);
    members.transaction.mockImplementation(async (work) => work(manager));
    members.user.mockResolvedValue({ id: 'new-1', createdAt: new Date(0) } as User);
    t.mock(UsersService).insert.mockResolvedValue({ id: 'new-1' } as User);
    policy = t.mock(PasswordPolicy);
    hasher = t.mock(PasswordHasher);
    hasher.hash.mockResolvedValue('$argon2id$hash');
    facts = { record: jest.fn() };
    t.mock(AuditFacts).ofAdmin.mockReturnValue(facts as unknown as FactRecorder);
  });

  it('refuses an initial password for a user who is not an admin (AUTH-14), before step-up', async () => {
    await expect(sut.create(ADMIN.principal, { ...base, initialPassword: 'x' })).rejects.toMatchObject({
      code: ErrorCode.ValidationFailed,
      details: { fields: { initialPassword: ['initialPassword is only for admins'] } },
    });
    expect(stepUp.require).not.toHaveBeenCalled();
  });

  it('requires an initial password for an admin, checked against the policy with their names', async () => {
    await expect(sut.create(ADMIN.principal, { ...base, admin: true })).rejects.toMatchObject({
      code: ErrorCode.ValidationFailed,
    });
    await sut.create(ADMIN.principal, { ...base, admin: true, userId: 'bob', initialPassword: 'pw' });
    expect(policy.assertAcceptable).toHaveBeenCalledWith('pw', {
      userId: 'bob',
      email: 'bob@example.com',
      familyName: ' Sato ',
      givenName: undefined,
    });
  });

  it('creates the user in the admin’s tenant with the defaults, and records the fact', async () => {
    const view = await sut.create(ADMIN.principal, base);
    expect(stepUp.require).toHaveBeenCalledWith(ADMIN.principal, 'admin.user.create');
    expect(hasher.hash).not.toHaveBeenCalled();
    expect(members.updateUser).toHaveBeenCalledWith(manager, 'new-1', {
      title: null,
      officePhone: null,
      timezone: 'Asia/Tokyo',
      updatedAt: clock.now(),
    });
    expect(members.insertMembership).toHaveBeenCalledWith(manager, {
      userId: 'new-1',
      tenantNumber: 'N1',
      role: 'user',
      notificationEmail: null,
      createdAt: clock.now(),
    });
    expect(members.insertInitialPassword).not.toHaveBeenCalled();
    expect(facts.record).toHaveBeenCalledWith(manager, {
      type: 'auth.user.created',
      target: { type: 'user', id: 'new-1' },
      outcome: 'success',
      reasons: ['tenant_user'],
    });
    expect(view).toMatchObject({ id: 'new-1', admin: false, locked: false });
  });

  it('stores an admin’s initial password hashed, and says so in the fact', async () => {
    await sut.create(ADMIN.principal, { ...base, admin: true, initialPassword: 'pw' });
    expect(members.insertInitialPassword).toHaveBeenCalledWith(manager, {
      userId: 'new-1',
      passwordHash: '$argon2id$hash',
      createdBy: 'admin-1',
      createdAt: clock.now(),
      usedAt: null,
    });
    expect(facts.record).toHaveBeenCalledWith(
      manager,
      expect.objectContaining({ reasons: ['tenant_admin', 'initial_password_set'] }),
    );
  });
});
