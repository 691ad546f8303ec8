import { EntityManager } from 'typeorm';
import { APP_CONFIG, Clock } from '@app/config';
import { DomainError, ErrorCode } from '@app/contracts';
import { NotificationProducer } from '@app/messaging';
import { LOGGER } from '@app/observability';
import { FakeClock, MockOf, newTestService, silentLogger, TestService } from '@app/testing';
import { SecretHasher } from '../crypto/secret-hasher';
import { PasswordHasher } from '../password/password-hasher';
import { PasswordPolicy } from '../password/password-policy';
import { SendCaps } from '../send-caps/send-caps.service';
import { SessionsService } from '../sessions/sessions.service';
import { AuditFacts } from '../users/audit-facts';
import { auditFactsOverMockedOutbox, MockedOutbox } from '../users/audit-facts-test.util';
import { LoginAccount } from '../users/login-account';
import { User } from '../users/user.entity';
import { UsersService } from '../users/users.service';
import { PasswordResetGuardRepository } from './password-reset-guard.repository';
import { PasswordResetTokenRepository } from './password-reset-token.repository';
import { RESET_COOLDOWN_MS, PasswordResetService } from './password-reset.service';

describe(PasswordResetService.name, () => {
  const clock = new FakeClock(new Date('2026-01-01T00:00:00Z'));
  const manager = {} as EntityManager;
  const token = 'a'.repeat(43);
  const alice: LoginAccount = {
    user: { id: 'u1', userId: 'alice', userIdKey: 'alice', email: 'Alice@example.com' } as User,
    memberships: [{ tenantNumber: 'N1', tenantName: 'Alpha', role: 'user', mfaAlways: false }],
  };
  let sut: PasswordResetService;
  let users: MockOf<UsersService>;
  let guard: MockOf<PasswordResetGuardRepository>;
  let tokens: MockOf<PasswordResetTokenRepository>;
  let policy: MockOf<PasswordPolicy>;
  let sessions: MockOf<SessionsService>;
  let outbox: MockedOutbox;

  let t: TestService<PasswordResetService>;

  beforeEach(async () => {
    let facts: AuditFacts;
    ({ outbox, facts } = auditFactsOverMockedOutbox());
    t = await newTestService(PasswordResetService, [
      { provide: Clock, useValue: clock },
      // The real helper over a mocked writer: the stored fact's fields are what is checked.
      { provide: AuditFacts, useValue: facts },
      { provide: APP_CONFIG, useValue: { PUBLIC_URL: 'https://mamori.example/' } },
      { provide: LOGGER, useValue: silentLogger() },
    ]);
    sut = t.sut;
    users = t.mock(UsersService);
    users.findAccount.mockResolvedValue(alice);
    users.findAccountById.mockResolvedValue(alice);
    guard = t.mock(PasswordResetGuardRepository);
    guard.recordMatch.mockResolvedValue({ mismatches: 0, blockedUntil: null, lastCompletedAt: null });
    guard.recordMismatch.mockResolvedValue({ counted: true, blockedNow: false });
    tokens = t.mock(PasswordResetTokenRepository);
    tokens.transaction.mockImplementation(async (work) => work(manager));
    tokens.findUsable.mockResolvedValue('u1');
    tokens.consume.mockResolvedValue('u1');
    const secrets = t.mock(SecretHasher);
    secrets.randomToken.mockReturnValue(token);
    secrets.hmac.mockImplementation((value) => `hmac(${value})`);
    t.mock(PasswordHasher).hash.mockResolvedValue('$new');
    policy = t.mock(PasswordPolicy);
    sessions = t.mock(SessionsService);
    t.mock(NotificationProducer).enqueue.mockResolvedValue(undefined as never);
  });

  afterEach(() => sut.idle());

  const recorded = () => outbox.record.mock.calls.map(([, e]) => e);

  describe('request', () => {
    it('stores a link for a matching ID and address, whatever their case (AUTH-16)', async () => {
      expect(await sut.request({ userId: 'ALICE', email: ' alice@EXAMPLE.com ' })).toEqual({
        status: 'accepted',
      });
      expect(tokens.insert).toHaveBeenCalledWith(
        manager,
        'u1',
        `hmac(${token})`,
        clock.now(),
        new Date(clock.now().getTime() + 30 * 60_000),
      );
      expect(recorded()).toEqual([
        {
          type: 'auth.password_reset.requested',
          actor: { userId: 'u1' },
          target: { type: 'user', id: 'u1' },
          tenants: ['N1'],
          outcome: 'success',
        },
      ]);
    });

    it('counts a mismatch and answers the same', async () => {
      expect(await sut.request({ userId: 'alice', email: 'mallory@example.com' })).toEqual({
        status: 'accepted',
      });
      expect(guard.recordMismatch).toHaveBeenCalledWith(
        manager,
        'alice',
        clock.now(),
        new Date(clock.now().getTime() + 20 * 60_000),
        5,
      );
      expect(tokens.insert).not.toHaveBeenCalled();
      expect(recorded()[0]).toMatchObject({ type: 'auth.password_reset.refused', reasons: ['mismatch'] });
    });

    it('records the block when the 5th mismatch blocks the ID', async () => {
      guard.recordMismatch.mockResolvedValue({ counted: true, blockedNow: true });
      await sut.request({ userId: 'alice', email: 'mallory@example.com' });
      expect(recorded()[0]).toMatchObject({
        type: 'auth.password_reset.blocked',
        reasons: ['too_many_mismatches'],
      });
    });

    it('treats an unknown ID as a mismatch with no actor', async () => {
      users.findAccount.mockResolvedValue(null);
      await sut.request({ userId: 'nobody', email: 'alice@example.com' });
      // No actor and no tenant: the stored fact names nobody (scopeAuditEvent drops the empty list).
      expect(recorded()).toEqual([
        {
          type: 'auth.password_reset.refused',
          actor: {},
          outcome: 'failure',
          reasons: ['mismatch'],
          tenants: [],
        },
      ]);
    });

    it('sends no link over the reset mail cap, and records that as the account’s fact (NOTIF-7)', async () => {
      t.mock(SendCaps).takeResetMail.mockResolvedValue({
        allowed: false,
        refusal: { scope: 'recipient', retryAfter: 60 },
      });
      await sut.request({ userId: 'alice', email: 'alice@example.com' });
      await sut.idle();
      expect(t.mock(NotificationProducer).enqueue).not.toHaveBeenCalled();
      expect(recorded()[1]).toEqual({
        type: 'auth.send_cap.reached',
        actor: { userId: 'u1' },
        target: { type: 'user', id: 'u1' },
        outcome: 'denied',
        reasons: ['email', 'recipient', 'password-reset-link'],
        tenants: ['N1'],
      });
    });

    it('issues no link within 24 hours of a completed reset', async () => {
      guard.recordMatch.mockResolvedValue({
        mismatches: 0,
        blockedUntil: null,
        lastCompletedAt: new Date(clock.now().getTime() - RESET_COOLDOWN_MS + 1000),
      });
      await sut.request({ userId: 'alice', email: 'alice@example.com' });
      expect(tokens.insert).not.toHaveBeenCalled();
      expect(recorded()[0]).toMatchObject({ outcome: 'denied', reasons: ['cooldown'] });
    });
  });

  describe('complete', () => {
    it('refuses a token that is not shaped like one without a lookup', async () => {
      await expect(sut.complete('short', 'new password 123')).rejects.toMatchObject({
        code: ErrorCode.ResetTokenInvalid,
      });
      expect(tokens.findUsable).not.toHaveBeenCalled();
    });

    it('checks the policy before the token is touched, so a refused password keeps the link usable', async () => {
      policy.assertAcceptable.mockImplementation(() => {
        throw new DomainError(ErrorCode.PasswordPolicy);
      });
      await expect(sut.complete(token, 'x')).rejects.toMatchObject({ code: ErrorCode.PasswordPolicy });
      expect(tokens.consume).not.toHaveBeenCalled();
    });

    it('refuses a token used meanwhile by another request', async () => {
      tokens.consume.mockResolvedValue(null);
      await expect(sut.complete(token, 'new password 123')).rejects.toMatchObject({
        code: ErrorCode.ResetTokenInvalid,
      });
      expect(tokens.setPassword).not.toHaveBeenCalled();
    });

    it('sets the password and voids what hung on the old one, in one transaction', async () => {
      await sut.complete(token, 'new password 123');
      expect(tokens.setPassword).toHaveBeenCalledWith(manager, 'u1', '$new', clock.now());
      expect(tokens.expirePendingFlows).toHaveBeenCalledWith(manager, 'u1');
      expect(sessions.revokeAllForUser).toHaveBeenCalledWith('u1', 'password_reset', manager);
      expect(guard.recordCompleted).toHaveBeenCalledWith(manager, 'alice', clock.now());
      expect(tokens.voidAllOf).toHaveBeenCalledWith(manager, 'u1', clock.now());
      expect(recorded()).toEqual([
        {
          type: 'auth.password_reset.completed',
          actor: { userId: 'u1' },
          target: { type: 'user', id: 'u1' },
          outcome: 'success',
          tenants: ['N1'],
        },
      ]);
    });
  });
});
