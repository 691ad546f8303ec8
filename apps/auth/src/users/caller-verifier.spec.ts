import { ErrorCode, Principal } from '@app/contracts';
import { MockOf, newTestService } from '@app/testing';
import { CallerVerifier } from './caller-verifier';
import { UsersRepository } from './users.repository';

describe(CallerVerifier.name, () => {
  const id = '6f1c7c1e-3a52-4d0e-9a39-7d3f2b1d6a11';
  let sut: CallerVerifier;
  let users: MockOf<UsersRepository>;

  beforeEach(async () => {
    const t = await newTestService(CallerVerifier);
    sut = t.sut;
    users = t.mock(UsersRepository);
    users.isActiveOperator.mockResolvedValue(true);
    users.isActiveAdminOf.mockResolvedValue(true);
  });

  describe('operator', () => {
    const operator = { id, role: 'operator' } as Principal;

    it('refuses a request without a caller', async () => {
      await expect(sut.operator(undefined)).rejects.toMatchObject({ code: ErrorCode.Unauthorized });
    });

    it.each([
      ['another role', { ...operator, role: 'admin' }],
      ['an id that is not a user’s', { ...operator, id: 'key:1' }],
    ])('refuses %s without asking the database', async (_name, principal) => {
      await expect(sut.operator(principal as Principal)).rejects.toMatchObject({
        code: ErrorCode.Forbidden,
      });
      expect(users.isActiveOperator).not.toHaveBeenCalled();
    });

    it('refuses a token whose user is no longer an operator or is disabled (checked in the database)', async () => {
      users.isActiveOperator.mockResolvedValue(false);
      await expect(sut.operator(operator)).rejects.toMatchObject({ code: ErrorCode.Forbidden });
    });

    it('passes an operator the database confirms', async () => {
      expect(await sut.operator(operator)).toBe(operator);
      expect(users.isActiveOperator).toHaveBeenCalledWith(id);
    });
  });

  describe('tenantAdmin', () => {
    const admin = { id, role: 'admin', tenant: 'N1' } as Principal;

    it('asks an admin without an active tenant to choose one', async () => {
      await expect(sut.tenantAdmin({ ...admin, tenant: null })).rejects.toMatchObject({
        code: ErrorCode.TenantSelectionRequired,
      });
    });

    it('refuses a user who is not an admin', async () => {
      await expect(sut.tenantAdmin({ ...admin, role: 'user' } as Principal)).rejects.toMatchObject({
        code: ErrorCode.Forbidden,
      });
      expect(users.isActiveAdminOf).not.toHaveBeenCalled();
    });

    it('refuses an admin of another tenant than the active one (AUTH-21)', async () => {
      users.isActiveAdminOf.mockResolvedValue(false);
      await expect(sut.tenantAdmin(admin)).rejects.toMatchObject({ code: ErrorCode.Forbidden });
      expect(users.isActiveAdminOf).toHaveBeenCalledWith(id, 'N1');
    });

    it('passes an admin of the active tenant with that tenant', async () => {
      expect(await sut.tenantAdmin(admin)).toEqual({ principal: admin, tenant: 'N1' });
    });
  });
});
