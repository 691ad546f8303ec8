import { EntityManager } from 'typeorm';
import { Principal } from '@app/contracts';
import { MockOf } from '@app/testing';
import { TenantAdminCaller } from '../users/caller-verifier';
import { User } from '../users/user.entity';
import { AdminMemberChange, MemberStep } from './admin-member-change';
import { TenantMember } from './admin-members.repository';

/** The admin of tenant N1 the unit specs act as. */
export const ADMIN: TenantAdminCaller = {
  principal: { id: 'admin-1', role: 'admin', tenant: 'N1' } as Principal,
  tenant: 'N1',
};

export function memberOf(user: Partial<User>, role: 'admin' | 'user' = 'user'): TenantMember {
  return {
    user: { id: 'u1', userId: 'bob', userIdKey: 'bob', createdAt: new Date(0), ...user } as User,
    membership: { role, notificationEmail: null },
  };
}

export type FakeStep = MemberStep & { [K in 'audit' | 'requireWholeAccount' | 'reread']: jest.Mock };

/**
 * Makes `change.run` run the change at once on `found`, as AdminMemberChange does after step-up and
 * the lock: the specs of the services see only their own rules.
 */
export function runChangesOn(change: MockOf<AdminMemberChange>, found: TenantMember): FakeStep {
  const step: FakeStep = {
    manager: {} as EntityManager,
    found,
    audit: jest.fn(),
    requireWholeAccount: jest.fn(),
    reread: jest.fn().mockResolvedValue(found),
  };
  change.run.mockImplementation(
    async (
      _caller: TenantAdminCaller,
      _action: string,
      _id: string,
      work: (s: MemberStep) => Promise<unknown>,
    ) => work(step),
  );
  change.view.mockImplementation(async (m) => ({ id: m.user.id }) as never);
  return step;
}
