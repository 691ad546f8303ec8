import { EntityManager } from 'typeorm';
import { Clock } from '@app/config';
import { ErrorCode } from '@app/contracts';
import { FakeClock, MockOf, newTestService } from '@app/testing';
import { PasswordHasher } from '../password/password-hasher';
import { PasswordPolicy } from '../password/password-policy';
import { AuditFacts, FactRecorder } from './audit-facts';
import { LoginAccountRepository } from './login-account.repository';
import { User } from './user.entity';
import { UsersRepository } from './users.repository';
import { UsersService } from './users.service';

describe(UsersService.name, () => {
  const clock = new FakeClock(new Date('2026-01-01T00:00:00Z'));
  const manager = {} as EntityManager;
  let sut: UsersService;
  let users: MockOf<UsersRepository>;
  let accounts: MockOf<LoginAccountRepository>;
  let policy: MockOf<PasswordPolicy>;
  let hasher: MockOf<PasswordHasher>;
  let auditFacts: MockOf<AuditFacts>;
  let facts: { record: jest.Mock };

  beforeEach(async () => {
    const t = await newTestService(UsersService, [{ provide: Clock, useValue: clock }]);
    sut = t.sut;
    users = t.mock(UsersRepository);
    users.transaction.mockImplementation(async (work) => work(manager));
    users.insert.mockImplementation(async (_m, row) => ({ ...row }) as User);
    accounts = t.mock(LoginAccountRepository);
    policy = t.mock(PasswordPolicy);
    hasher = t.mock(PasswordHasher);
    hasher.hash.mockResolvedValue('$argon2id$hash');
    facts = { record: jest.fn() };
    auditFacts = t.mock(AuditFacts);
    auditFacts.of.mockReturnValue(facts as unknown as FactRecorder);
  });

  describe('lookups', () => {
    it('finds an account by the ID as typed, through its normalised key (AUTH-1)', async () => {
      await sut.findAccount('  ＢＯＢ ');
      expect(accounts.findByKey).toHaveBeenCalledWith('bob', undefined);
    });

    it('does not look up an id that is not a uuid', async () => {
      expect(await sut.findAccountById('not-a-uuid')).toBeNull();
      expect(accounts.findById).not.toHaveBeenCalled();
    });
  });

  describe('insert', () => {
    it('stores the trimmed fields with the defaults and the normalised key', async () => {
      const user = await sut.insert(manager, {
        userId: 'Bob.Sato',
        email: ' bob@example.com ',
        familyName: ' Sato ',
        givenName: '  ',
      });
      expect(users.insert).toHaveBeenCalledWith(manager, {
        id: expect.stringMatching(/^[0-9a-f-]{36}$/),
        userId: 'Bob.Sato',
        userIdKey: 'bob.sato',
        email: 'bob@example.com',
        familyName: 'Sato',
        givenName: null,
        phone: null,
        language: 'ja',
        passwordHash: null,
        isOperator: false,
        mfaRequired: false,
        createdAt: clock.now(),
        updatedAt: clock.now(),
      });
      expect(user.userIdKey).toBe('bob.sato');
    });

    it('answers `user_id_taken` when the normalised ID is someone else’s', async () => {
      users.insert.mockResolvedValue(null);
      await expect(
        sut.insert(manager, { userId: 'bob', email: 'b@example.com', familyName: 'B' }),
      ).rejects.toMatchObject({ code: ErrorCode.UserIdTaken });
    });
  });

  describe('createOperator', () => {
    it('checks the password against the policy before hashing it, and stores nothing when refused', async () => {
      policy.assertAcceptable.mockImplementation(() => {
        throw new Error('password_policy');
      });
      await expect(
        sut.createOperator({ userId: 'op', email: 'op@example.com', password: 'x' }),
      ).rejects.toThrow('password_policy');
      expect(policy.assertAcceptable).toHaveBeenCalledWith('x', { userId: 'op', email: 'op@example.com' });
      expect(hasher.hash).not.toHaveBeenCalled();
      expect(users.insert).not.toHaveBeenCalled();
    });

    it('creates an operator who always needs a second step, with the hash only, and records it', async () => {
      const view = await sut.createOperator({
        userId: 'op',
        email: 'op@example.com',
        password: 'long password',
      });
      expect(users.insert).toHaveBeenCalledWith(
        manager,
        expect.objectContaining({
          isOperator: true,
          mfaRequired: true,
          passwordHash: '$argon2id$hash',
          familyName: '',
        }),
      );
      expect(auditFacts.of).toHaveBeenCalledWith(null);
      expect(facts.record).toHaveBeenCalledWith(manager, {
        type: 'auth.operator.created',
        target: { type: 'user', id: view.id },
        outcome: 'success',
      });
      expect(view).toMatchObject({ userId: 'op', admin: false, locked: false, mfaRequired: true });
    });
  });
});
