import { EntityManager } from 'typeorm';
import { DomainError, ErrorCode, Principal } from '@app/contracts';
import { MockOf, newTestService } from '@app/testing';
import { StepUpService } from '../flows/step-up.service';
import { LockoutService } from '../lockout/lockout.service';
import { AuditFacts, FactRecorder } from '../users/audit-facts';
import { TenantAdminCaller } from '../users/caller-verifier';
import { User } from '../users/user.entity';
import { AdminMemberChange } from './admin-member-change';
import { AdminMembersRepository, TenantMember } from './admin-members.repository';

describe(AdminMemberChange.name, () => {
  const manager = {} as EntityManager;
  const caller: TenantAdminCaller = {
    principal: { id: 'admin-1', role: 'admin' } as Principal,
    tenant: 'N1',
  };
  const member: TenantMember = {
    user: { id: 'u1', userIdKey: 'bob' } as User,
    membership: { role: 'user', notificationEmail: null },
  };
  let sut: AdminMemberChange;
  let stepUp: MockOf<StepUpService>;
  let members: MockOf<AdminMembersRepository>;
  let auditFacts: MockOf<AuditFacts>;
  let facts: { record: jest.Mock };
  let calls: string[];

  beforeEach(async () => {
    const t = await newTestService(AdminMemberChange);
    sut = t.sut;
    calls = [];
    stepUp = t.mock(StepUpService);
    stepUp.require.mockImplementation(async () => void calls.push('step-up'));
    members = t.mock(AdminMembersRepository);
    members.transaction.mockImplementation(async (work) => {
      calls.push('transaction');
      return work(manager);
    });
    members.member.mockImplementation(async (_tenant, _id, lock) => {
      calls.push(lock ? 'member locked' : 'member');
      return member;
    });
    facts = { record: jest.fn() };
    auditFacts = t.mock(AuditFacts);
    auditFacts.ofAdmin.mockReturnValue(facts as unknown as FactRecorder);
  });

  it('asks for step-up, then locks the member in one transaction, then runs the change', async () => {
    const result = await sut.run(caller, 'admin.user.enable', 'u1', async (step) => {
      calls.push('change');
      expect(step.found).toBe(member);
      expect(step.manager).toBe(manager);
      return 'changed';
    });
    expect(result).toBe('changed');
    expect(calls).toEqual(['step-up', 'transaction', 'member locked', 'change']);
    expect(stepUp.require).toHaveBeenCalledWith(caller.principal, 'admin.user.enable');
    expect(members.member).toHaveBeenCalledWith('N1', 'u1', true, manager);
  });

  it('touches no row when step-up is refused', async () => {
    stepUp.require.mockRejectedValue(new DomainError(ErrorCode.StepUpRequired));
    const change = jest.fn();
    await expect(sut.run(caller, 'admin.user.enable', 'u1', change)).rejects.toMatchObject({
      code: ErrorCode.StepUpRequired,
    });
    expect(members.transaction).not.toHaveBeenCalled();
    expect(change).not.toHaveBeenCalled();
  });

  it("records the change as the admin's fact about the user, in the change's transaction", async () => {
    await sut.run(caller, 'admin.user.disable', 'u1', (step) =>
      step.audit('auth.user.login_disabled', ['x']),
    );
    expect(auditFacts.ofAdmin).toHaveBeenCalledWith(caller);
    expect(facts.record).toHaveBeenCalledWith(manager, {
      type: 'auth.user.login_disabled',
      target: { type: 'user', id: 'u1' },
      outcome: 'success',
      reasons: ['x'],
    });
  });

  it('refuses an account-wide change of a user with a tenant the admin does not administer', async () => {
    members.hasTenantBeyond.mockResolvedValue(true);
    await expect(sut.run(caller, 'a', 'u1', (step) => step.requireWholeAccount())).rejects.toMatchObject({
      code: ErrorCode.AccountShared,
    });
    expect(members.hasTenantBeyond).toHaveBeenCalledWith(manager, 'u1', 'admin-1');
    members.hasTenantBeyond.mockResolvedValue(false);
    await expect(sut.run(caller, 'a', 'u1', (step) => step.requireWholeAccount())).resolves.toBeUndefined();
  });

  it('rereads the member unlocked, in the same transaction, for the answer', async () => {
    await sut.run(caller, 'a', 'u1', (step) => step.reread());
    expect(members.member).toHaveBeenLastCalledWith('N1', 'u1', false, manager);
  });
});

describe(`${AdminMemberChange.name} view`, () => {
  it('shows a member as locked while their login ID is locked (AUTH-3)', async () => {
    const t = await newTestService(AdminMemberChange);
    const lockout = t.mock(LockoutService);
    const member: TenantMember = {
      user: { id: 'u1', userIdKey: 'bob', createdAt: new Date(0) } as User,
      membership: { role: 'admin', notificationEmail: null },
    };
    lockout.lockedFor.mockResolvedValue(120);
    expect(await t.sut.view(member)).toMatchObject({ id: 'u1', admin: true, locked: true });
    lockout.lockedFor.mockResolvedValue(null);
    expect(await t.sut.view(member)).toMatchObject({ locked: false });
    expect(lockout.lockedFor).toHaveBeenCalledWith('bob');
  });
});
