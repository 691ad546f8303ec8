import { EntityManager } from 'typeorm';
import { Clock } from '@app/config';
import { CreateTenantUserDto, ErrorCode, Principal } from '@app/contracts';
import { FakeClock, MockOf, newTestService } from '@app/testing';
import { LockoutService } from '../lockout/lockout.service';
import { AuditFacts, FactRecorder } from '../users/audit-facts';
import { CallerVerifier } from '../users/caller-verifier';
import { User } from '../users/user.entity';
import { UsersService } from '../users/users.service';
import { TenantsRepository } from './tenants.repository';
import { TenantsService } from './tenants.service';

describe(TenantsService.name, () => {
  const clock = new FakeClock(new Date('2026-01-01T00:00:00Z'));
  const manager = {} as EntityManager;
  const operator = { id: 'op-1', role: 'operator' } as Principal;
  const bob = {
    id: 'u1',
    userId: 'bob',
    userIdKey: 'bob',
    isOperator: false,
    createdAt: new Date(0),
  } as User;
  let sut: TenantsService;
  let tenants: MockOf<TenantsRepository>;
  let auditFacts: MockOf<AuditFacts>;
  let facts: { record: jest.Mock };

  beforeEach(async () => {
    const t = await newTestService(TenantsService, [{ provide: Clock, useValue: clock }]);
    sut = t.sut;
    t.mock(CallerVerifier).operator.mockResolvedValue(operator);
    tenants = t.mock(TenantsRepository);
    tenants.transaction.mockImplementation(async (work) => work(manager));
    tenants.holdTenant.mockResolvedValue(true);
    tenants.insertTenant.mockResolvedValue(true);
    tenants.insertMembership.mockResolvedValue(true);
    tenants.userByLoginId.mockResolvedValue(bob);
    t.mock(UsersService).insert.mockResolvedValue(bob);
    t.mock(LockoutService).lockedFor.mockResolvedValue(null);
    facts = { record: jest.fn() };
    auditFacts = t.mock(AuditFacts);
    auditFacts.ofOperator.mockReturnValue(facts as unknown as FactRecorder);
  });

  describe('create', () => {
    it('creates the tenant with its trimmed name, as the operator’s fact for that tenant', async () => {
      const view = await sut.create(operator, { number: 'N202400003', name: ' Alpha KK ' });
      expect(tenants.insertTenant).toHaveBeenCalledWith(manager, {
        number: 'N202400003',
        name: 'Alpha KK',
        createdAt: clock.now(),
      });
      expect(auditFacts.ofOperator).toHaveBeenCalledWith(operator, ['N202400003']);
      expect(facts.record).toHaveBeenCalledWith(manager, {
        type: 'auth.tenant.created',
        target: { type: 'tenant', id: 'N202400003' },
        outcome: 'success',
      });
      expect(view).toEqual({ number: 'N202400003', name: 'Alpha KK', createdAt: clock.now().toISOString() });
    });

    it('answers `tenant_exists` for a number that is taken, and records nothing', async () => {
      tenants.insertTenant.mockResolvedValue(false);
      await expect(sut.create(operator, { number: 'N202400003', name: 'A' })).rejects.toMatchObject({
        code: ErrorCode.TenantExists,
      });
      expect(facts.record).not.toHaveBeenCalled();
    });
  });

  describe('createRepresentativeAdmin', () => {
    it('answers `not_found` for a malformed or unknown tenant number', async () => {
      const dto = { userId: 'bob', email: 'b@example.com', familyName: 'B' } as CreateTenantUserDto;
      await expect(sut.createRepresentativeAdmin(operator, '../x', dto)).rejects.toMatchObject({
        code: ErrorCode.NotFound,
      });
      expect(tenants.transaction).not.toHaveBeenCalled();
      tenants.holdTenant.mockResolvedValue(false);
      await expect(sut.createRepresentativeAdmin(operator, 'N202400003', dto)).rejects.toMatchObject({
        code: ErrorCode.NotFound,
      });
    });

    it('makes the new user the tenant’s admin and records it for that tenant', async () => {
      const dto = { userId: 'bob', email: 'b@example.com', familyName: 'B' } as CreateTenantUserDto;
      const view = await sut.createRepresentativeAdmin(operator, 'N202400003', dto);
      expect(tenants.insertMembership).toHaveBeenCalledWith(manager, {
        userId: 'u1',
        tenantNumber: 'N202400003',
        role: 'admin',
        notificationEmail: null,
        createdAt: clock.now(),
      });
      expect(facts.record).toHaveBeenCalledWith(manager, {
        type: 'auth.user.created',
        target: { type: 'user', id: 'u1' },
        outcome: 'success',
        reasons: ['representative_admin'],
      });
      expect(view).toMatchObject({ id: 'u1', admin: true, locked: false });
    });
  });

  describe('addMember', () => {
    it('answers `not_found` for an unknown user and does not look for users of an unknown tenant', async () => {
      tenants.userByLoginId.mockResolvedValue(null);
      await expect(sut.addMember(operator, 'N202400003', { userId: 'nobody' })).rejects.toMatchObject({
        code: ErrorCode.NotFound,
      });
      tenants.holdTenant.mockResolvedValue(false);
      tenants.userByLoginId.mockClear();
      await expect(sut.addMember(operator, 'N202400003', { userId: 'bob' })).rejects.toMatchObject({
        code: ErrorCode.NotFound,
      });
      expect(tenants.userByLoginId).not.toHaveBeenCalled();
    });

    it('refuses an operator account: operators belong to no tenant', async () => {
      tenants.userByLoginId.mockResolvedValue({ ...bob, isOperator: true } as User);
      await expect(sut.addMember(operator, 'N202400003', { userId: 'bob' })).rejects.toMatchObject({
        code: ErrorCode.Conflict,
        details: { reason: 'operator_account' },
      });
      expect(tenants.insertMembership).not.toHaveBeenCalled();
    });

    it('answers `already_member` when the membership exists, and records nothing', async () => {
      tenants.insertMembership.mockResolvedValue(false);
      await expect(sut.addMember(operator, 'N202400003', { userId: 'bob' })).rejects.toMatchObject({
        code: ErrorCode.Conflict,
        details: { reason: 'already_member' },
      });
      expect(facts.record).not.toHaveBeenCalled();
    });

    it('adds the user with the role asked for, told to the joined tenant only', async () => {
      const view = await sut.addMember(operator, 'N202400003', { userId: 'BOB', admin: true });
      expect(tenants.userByLoginId).toHaveBeenCalledWith(manager, 'BOB');
      expect(auditFacts.ofOperator).toHaveBeenCalledWith(operator, ['N202400003']);
      expect(facts.record).toHaveBeenCalledWith(manager, {
        type: 'auth.member.added',
        target: { type: 'user', id: 'u1' },
        outcome: 'success',
        reasons: ['tenant_admin'],
      });
      expect(view).toMatchObject({ id: 'u1', admin: true, locked: false });
    });
  });
});
