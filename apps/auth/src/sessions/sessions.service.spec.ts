import { EntityManager } from 'typeorm';
import { APP_CONFIG, AuthEnv, Clock } from '@app/config';
import { ErrorCode, Principal } from '@app/contracts';
import { FakeClock, MockOf, newTestService } from '@app/testing';
import { SecretBox } from '../crypto/secret-box';
import { TokenIssuer } from '../tokens/token-issuer.service';
import { AuditFacts } from '../users/audit-facts';
import { auditFactsOverMockedOutbox, MockedOutbox } from '../users/audit-facts-test.util';
import { LoginAccount } from '../users/login-account';
import { LoginAccountRepository } from '../users/login-account.repository';
import { User } from '../users/user.entity';
import { AfterCommitHook } from './after-commit.hook';
import { RefreshToken } from './refresh-token.entity';
import { Session } from './session.entity';
import { SessionRevocationCache } from './session-revocation.cache';
import { SessionsRepository } from './sessions.repository';
import { SessionsService } from './sessions.service';

describe(SessionsService.name, () => {
  const config = {
    SESSION_IDLE_SECONDS: 1800,
    SESSION_ABSOLUTE_SECONDS: 43200,
    REFRESH_REUSE_GRACE_SECONDS: 10,
  } as AuthEnv;
  const manager = {} as EntityManager;
  const alice: LoginAccount = {
    user: { id: 'u1', loginDisabled: false, isOperator: false } as User,
    memberships: [
      { tenantNumber: 'N1', tenantName: 'Alpha', role: 'admin', mfaAlways: false },
      { tenantNumber: 'N2', tenantName: 'Beta', role: 'user', mfaAlways: false },
    ],
  };
  /** A user of one tenant: a login opens the session in it. */
  const solo: LoginAccount = { ...alice, memberships: [alice.memberships[0]] };
  const principal = { id: 'u1', sessionId: 's1' } as Principal;
  const clock = new FakeClock(new Date('2026-01-01T00:00:00Z'));
  let sut: SessionsService;
  let sessions: MockOf<SessionsRepository>;
  let accounts: MockOf<LoginAccountRepository>;
  let tokens: MockOf<TokenIssuer>;
  let revocations: MockOf<SessionRevocationCache>;
  let outbox: MockedOutbox;

  /** A live session of alice's, last seen a minute ago, acting in N1. */
  function session(changes: Partial<Session> = {}): Session {
    const now = clock.now().getTime();
    return {
      id: 's1',
      userId: 'u1',
      activeTenant: 'N1',
      createdAt: new Date(now - 60_000),
      lastSeenAt: new Date(now - 60_000),
      expiresAt: new Date(now + 3_600_000),
      secondFactorAt: null,
      revokedAt: null,
      revokeReason: null,
      ip: null,
      userAgent: null,
      ...changes,
    };
  }

  function token(changes: Partial<RefreshToken> = {}): RefreshToken {
    return {
      id: 'rt1',
      sessionId: 's1',
      tokenHmac: 'hmac-1',
      createdAt: clock.now(),
      usedAt: null,
      successorId: null,
      successorSealed: null,
      ...changes,
    };
  }

  const insertStatements = [{ sql: 'INSERT INTO auth.session …', params: [] }];

  /** The facts written, as the outbox receives them (actor and tenants filled in by AuditFacts). */
  function facts(): unknown[] {
    return [
      ...outbox.record.mock.calls.map((call: unknown[]) => call[1]),
      ...outbox.recordAll.mock.calls.flatMap((call: unknown[]) => call[1] as unknown[]),
    ];
  }

  beforeEach(async () => {
    let facts: AuditFacts;
    ({ outbox, facts } = auditFactsOverMockedOutbox());
    const t = await newTestService(SessionsService, [
      { provide: Clock, useValue: clock },
      { provide: APP_CONFIG, useValue: config },
      // The real helper over a mocked writer: the stored fact's fields are what is checked.
      { provide: AuditFacts, useValue: facts },
    ]);
    sut = t.sut;
    sessions = t.mock(SessionsRepository);
    sessions.transaction.mockImplementation(async (work) => work(manager));
    sessions.revoke.mockResolvedValue([]);
    sessions.insertSessionStatements.mockReturnValue(insertStatements);
    accounts = t.mock(LoginAccountRepository);
    accounts.findById.mockResolvedValue(alice);
    tokens = t.mock(TokenIssuer);
    tokens.sessionIdOf.mockReturnValue('s1');
    tokens.refreshTokenHmac.mockReturnValue('hmac-1');
    let issued = 0;
    tokens.refreshToken.mockImplementation(() => {
      issued += 1;
      return { token: `refresh-${issued}`, hmac: `hmac-new-${issued}` };
    });
    tokens.accessToken.mockReturnValue({ token: 'access', expiresIn: 900 });
    const box = t.mock(SecretBox);
    box.seal.mockImplementation((secret: string, bound?: string) => `sealed(${secret},${bound})`);
    box.open.mockReturnValue('refresh-earlier');
    revocations = t.mock(SessionRevocationCache);
    t.mock(AfterCommitHook).run.mockImplementation(async (_m, callback) => callback());
  });

  describe('start', () => {
    it('opens a session in the only tenant with its refresh token, as `auth.session.started`', async () => {
      const result = await sut.start(manager, solo, { secondFactorAt: null, ip: '192.0.2.1' });
      const [opened, first] = sessions.insertSessionStatements.mock.calls[0];
      expect(opened).toMatchObject({
        userId: 'u1',
        activeTenant: 'N1',
        lastSeenAt: clock.now(),
        expiresAt: new Date(clock.now().getTime() + 43200 * 1000),
        revokedAt: null,
        ip: '192.0.2.1',
        userAgent: null,
      });
      expect(first).toMatchObject({ sessionId: opened.id, tokenHmac: 'hmac-new-1', usedAt: null });
      // The session, its token and its fact: one statement.
      expect(outbox.recordAll).toHaveBeenCalledTimes(1);
      expect(outbox.recordAll.mock.calls[0][0]).toBe(manager);
      expect(outbox.recordAll.mock.calls[0][2]).toEqual(insertStatements);
      expect(facts()).toEqual([
        {
          type: 'auth.session.started',
          actor: { userId: 'u1', tenant: 'N1' },
          target: { type: 'session', id: opened.id },
          outcome: 'success',
          reasons: ['password'],
          tenants: ['N1'],
        },
      ]);
      expect(result).toMatchObject({ refreshToken: 'refresh-1', accessToken: 'access', activeTenant: 'N1' });
    });

    it('names the second factor when one was completed, and carries it in the access token', async () => {
      await sut.start(manager, solo, { secondFactorAt: clock.now() });
      expect(facts()[0]).toMatchObject({ reasons: ['second_factor'] });
      expect(tokens.accessToken.mock.calls[0][0]).toMatchObject({
        sfa: Math.floor(clock.now().getTime() / 1000),
        role: 'admin',
      });
    });

    it('opens a session of a user of several tenants in none of them', async () => {
      await sut.start(manager, alice, { secondFactorAt: null });
      expect(sessions.insertSessionStatements.mock.calls[0][0].activeTenant).toBeNull();
      expect(facts()[0]).toMatchObject({ actor: { userId: 'u1' }, tenants: ['N1', 'N2'] });
    });
  });

  describe('refresh', () => {
    it('refuses a token that names no session without reading anything', async () => {
      tokens.sessionIdOf.mockReturnValue(null);
      await expect(sut.refresh('junk')).rejects.toMatchObject({ code: ErrorCode.RefreshTokenInvalid });
      expect(sessions.transaction).not.toHaveBeenCalled();
    });

    it('refuses an unknown token', async () => {
      sessions.refreshTokenByHmac.mockResolvedValue(null);
      await expect(sut.refresh('t')).rejects.toMatchObject({ code: ErrorCode.RefreshTokenInvalid });
    });

    it('spends the token, issues its successor (sealed to the spent one) and records the refresh', async () => {
      sessions.refreshTokenByHmac.mockResolvedValue(token());
      sessions.refreshTokenById.mockResolvedValue(token());
      sessions.lockSession.mockResolvedValue(session({ activeTenant: 'N2' }));
      sessions.spendRefreshToken.mockResolvedValue(true);
      const result = await sut.refresh('t');
      expect(sessions.spendRefreshToken).toHaveBeenCalledWith(manager, 'rt1', clock.now());
      expect(sessions.updateSession).toHaveBeenCalledWith(manager, 's1', {
        lastSeenAt: clock.now(),
        activeTenant: 'N2',
      });
      const successor = sessions.insertRefreshToken.mock.calls[0][1];
      expect(sessions.setSuccessor).toHaveBeenCalledWith(
        manager,
        'rt1',
        successor.id,
        `sealed(refresh-1,rt1)`,
      );
      expect(facts()).toEqual([
        {
          type: 'auth.session.refreshed',
          actor: { userId: 'u1', tenant: 'N2' },
          target: { type: 'session', id: 's1' },
          outcome: 'success',
          tenants: ['N1', 'N2'],
        },
      ]);
      expect(result).toMatchObject({ refreshToken: 'refresh-1', activeTenant: 'N2' });
    });

    it('leaves a tenant the user no longer belongs to', async () => {
      sessions.refreshTokenByHmac.mockResolvedValue(token());
      sessions.refreshTokenById.mockResolvedValue(token());
      sessions.lockSession.mockResolvedValue(session({ activeTenant: 'N9' }));
      sessions.spendRefreshToken.mockResolvedValue(true);
      const result = await sut.refresh('t');
      expect(result.activeTenant).toBeNull();
    });

    it('treats a token spent by a concurrent refresh as reused: the session ends, unmarked in audit', async () => {
      sessions.refreshTokenByHmac.mockResolvedValue(token());
      sessions.refreshTokenById.mockResolvedValue(token());
      sessions.lockSession.mockResolvedValue(session());
      sessions.spendRefreshToken.mockResolvedValue(false);
      sessions.revoke.mockResolvedValue([{ id: 's1', userId: 'u1', activeTenant: 'N1' }]);
      await expect(sut.refresh('t')).rejects.toMatchObject({ code: ErrorCode.RefreshTokenReused });
      expect(sessions.revoke).toHaveBeenCalledWith(
        manager,
        { sessionId: 's1' },
        'refresh_reuse',
        clock.now(),
      );
      // The reuse is the one fact: no `auth.session.ended` beside it.
      expect(facts()).toEqual([
        {
          type: 'auth.session.refresh_reused',
          actor: { userId: 'u1', tenant: 'N1' },
          target: { type: 'session', id: 's1' },
          outcome: 'denied',
          reasons: ['refresh_reuse'],
          tenants: ['N1', 'N2'],
        },
      ]);
      expect(revocations.markRevoked).toHaveBeenCalledWith(['s1']);
    });

    it('treats a used token past the grace as reused', async () => {
      const used = token({
        usedAt: new Date(clock.now().getTime() - 11_000),
        successorId: 'rt2',
        successorSealed: 'sealed',
      });
      sessions.refreshTokenByHmac.mockResolvedValue(used);
      sessions.refreshTokenById.mockResolvedValue(used);
      sessions.lockSession.mockResolvedValue(session());
      await expect(sut.refresh('t')).rejects.toMatchObject({ code: ErrorCode.RefreshTokenReused });
      expect(sessions.spendRefreshToken).not.toHaveBeenCalled();
    });

    it('hands back the same successor to a replay within the grace, while the successor is unused', async () => {
      const used = token({
        usedAt: new Date(clock.now().getTime() - 10_000),
        successorId: 'rt2',
        successorSealed: 'sealed',
      });
      sessions.refreshTokenByHmac.mockResolvedValue(used);
      sessions.refreshTokenById.mockImplementation(async (_m, id) =>
        id === 'rt2' ? token({ id: 'rt2' }) : used,
      );
      sessions.lockSession.mockResolvedValue(session());
      const result = await sut.refresh('t');
      expect(result.refreshToken).toBe('refresh-earlier');
      expect(sessions.insertRefreshToken).not.toHaveBeenCalled();
      expect(sessions.updateSession).toHaveBeenCalledWith(manager, 's1', { lastSeenAt: clock.now() });
      expect(facts()).toEqual([
        {
          type: 'auth.session.refreshed',
          actor: { userId: 'u1', tenant: 'N1' },
          target: { type: 'session', id: 's1' },
          outcome: 'success',
          reasons: ['grace_replay'],
          tenants: ['N1', 'N2'],
        },
      ]);
    });

    it('treats a replay as reused once the successor itself is spent', async () => {
      const used = token({ usedAt: clock.now(), successorId: 'rt2', successorSealed: 'sealed' });
      sessions.refreshTokenByHmac.mockResolvedValue(used);
      sessions.refreshTokenById.mockImplementation(async (_m, id) =>
        id === 'rt2' ? token({ id: 'rt2', usedAt: clock.now() }) : used,
      );
      sessions.lockSession.mockResolvedValue(session());
      await expect(sut.refresh('t')).rejects.toMatchObject({ code: ErrorCode.RefreshTokenReused });
    });

    it('answers `session_ended` for a revoked session without writing', async () => {
      sessions.refreshTokenByHmac.mockResolvedValue(token());
      sessions.refreshTokenById.mockResolvedValue(token());
      sessions.lockSession.mockResolvedValue(session({ revokedAt: clock.now() }));
      await expect(sut.refresh('t')).rejects.toMatchObject({ code: ErrorCode.SessionEnded });
      expect(sessions.revoke).not.toHaveBeenCalled();
      expect(facts()).toEqual([]);
    });

    it.each([
      ['idle_timeout', session({ lastSeenAt: new Date('2025-12-31T23:29:59Z') }), alice],
      ['absolute_timeout', session({ expiresAt: new Date('2026-01-01T00:00:00Z') }), alice],
      ['login_disabled', session(), { ...alice, user: { ...alice.user, loginDisabled: true } as User }],
    ])('ends a session past its %s, with `auth.session.ended`', async (reason, live, account) => {
      sessions.refreshTokenByHmac.mockResolvedValue(token());
      sessions.refreshTokenById.mockResolvedValue(token());
      sessions.lockSession.mockResolvedValue(live);
      accounts.findById.mockResolvedValue(account);
      sessions.revoke.mockResolvedValue([{ id: 's1', userId: 'u1', activeTenant: 'N1' }]);
      await expect(sut.refresh('t')).rejects.toMatchObject({ code: ErrorCode.SessionEnded });
      expect(sessions.revoke).toHaveBeenCalledWith(manager, { sessionId: 's1' }, reason, clock.now());
      expect(sessions.spendRefreshToken).not.toHaveBeenCalled();
      expect(facts()).toEqual([
        {
          type: 'auth.session.ended',
          actor: { userId: 'u1', tenant: 'N1' },
          target: { type: 'session', id: 's1' },
          outcome: 'info',
          reasons: [reason],
          tenants: ['N1', 'N2'],
        },
      ]);
      expect(revocations.markRevoked).toHaveBeenCalledWith(['s1']);
    });
  });

  describe('logout', () => {
    it('refuses a caller without a principal', async () => {
      await expect(sut.logout(undefined, false)).rejects.toMatchObject({ code: ErrorCode.Unauthorized });
    });

    it('ends the caller’s session alone and marks it', async () => {
      sessions.revoke.mockResolvedValue([{ id: 's1', userId: 'u1', activeTenant: 'N1' }]);
      await sut.logout(principal, false);
      expect(sessions.revoke).toHaveBeenCalledWith(
        manager,
        { userId: 'u1', sessionId: 's1' },
        'logout',
        clock.now(),
      );
      expect(sessions.bumpCredentialVersion).not.toHaveBeenCalled();
      expect(facts()).toMatchObject([{ type: 'auth.session.ended', reasons: ['logout'] }]);
      expect(revocations.markRevoked).toHaveBeenCalledWith(['s1']);
    });

    it('ends every session of the user with `all`, one fact each, and voids the trusted browsers', async () => {
      sessions.revoke.mockResolvedValue([
        { id: 's1', userId: 'u1', activeTenant: 'N1' },
        { id: 's2', userId: 'u1', activeTenant: 'N2' },
      ]);
      await sut.logout(principal, true);
      expect(sessions.bumpCredentialVersion).toHaveBeenCalledWith(manager, 'u1');
      expect(sessions.revoke).toHaveBeenCalledWith(manager, { userId: 'u1' }, 'logout_all', clock.now());
      expect(facts()).toMatchObject([
        { type: 'auth.session.ended', actor: { userId: 'u1', tenant: 'N1' }, target: { id: 's1' } },
        { type: 'auth.session.ended', actor: { userId: 'u1', tenant: 'N2' }, target: { id: 's2' } },
      ]);
      expect(revocations.markRevoked).toHaveBeenCalledWith(['s1', 's2']);
    });

    it('writes no fact and reads no account when nothing was live', async () => {
      await sut.logout(principal, false);
      expect(accounts.findById).not.toHaveBeenCalled();
      expect(facts()).toEqual([]);
      expect(revocations.markRevoked).toHaveBeenCalledWith([]);
    });
  });

  describe('completeStepUp', () => {
    it('stamps the second step, replaces the refresh token and carries the step in the access token', async () => {
      sessions.lockSession.mockResolvedValue(session());
      const result = await sut.completeStepUp(manager, 's1', alice, clock.now());
      expect(sessions.updateSession).toHaveBeenCalledWith(manager, 's1', {
        secondFactorAt: clock.now(),
        lastSeenAt: clock.now(),
      });
      expect(sessions.spendSessionRefreshTokens).toHaveBeenCalledWith(manager, 's1', clock.now());
      expect(tokens.accessToken.mock.calls[0][0]).toMatchObject({
        sfa: Math.floor(clock.now().getTime() / 1000),
      });
      expect(result.refreshToken).toBe('refresh-1');
      expect(facts()).toEqual([]);
    });

    it.each([
      ['missing', null],
      ['someone else’s', session({ userId: 'u2' })],
      ['revoked', session({ revokedAt: new Date(0) })],
      ['idle', session({ lastSeenAt: new Date('2025-12-31T00:00:00Z') })],
    ])('answers `session_ended` for a %s session', async (_what, found) => {
      sessions.lockSession.mockResolvedValue(found);
      await expect(sut.completeStepUp(manager, 's1', alice, clock.now())).rejects.toMatchObject({
        code: ErrorCode.SessionEnded,
      });
      expect(sessions.updateSession).not.toHaveBeenCalled();
    });
  });

  describe('selectTenant', () => {
    it('moves the session to a tenant of the user, replaces the refresh token and records it', async () => {
      sessions.lockSession.mockResolvedValue(session());
      const result = await sut.selectTenant(principal, 'N2');
      expect(sessions.updateSession).toHaveBeenCalledWith(manager, 's1', {
        activeTenant: 'N2',
        lastSeenAt: clock.now(),
      });
      expect(sessions.spendSessionRefreshTokens).toHaveBeenCalledWith(manager, 's1', clock.now());
      expect(facts()).toEqual([
        {
          type: 'auth.session.refreshed',
          actor: { userId: 'u1', tenant: 'N2' },
          target: { type: 'session', id: 's1' },
          outcome: 'success',
          reasons: ['tenant_selected'],
          tenants: ['N1', 'N2'],
        },
      ]);
      expect(result).toMatchObject({ activeTenant: 'N2', refreshToken: 'refresh-1' });
    });

    it('answers `not_found` for a tenant the user does not belong to, and for an operator', async () => {
      sessions.lockSession.mockResolvedValue(session());
      await expect(sut.selectTenant(principal, 'N3')).rejects.toMatchObject({ code: ErrorCode.NotFound });
      accounts.findById.mockResolvedValue({ ...alice, user: { ...alice.user, isOperator: true } as User });
      await expect(sut.selectTenant(principal, 'N1')).rejects.toMatchObject({ code: ErrorCode.NotFound });
      expect(sessions.updateSession).not.toHaveBeenCalled();
    });

    it('ends a timed-out session instead, and answers `session_ended`', async () => {
      sessions.lockSession.mockResolvedValue(session({ expiresAt: new Date(0) }));
      sessions.revoke.mockResolvedValue([{ id: 's1', userId: 'u1', activeTenant: 'N1' }]);
      await expect(sut.selectTenant(principal, 'N2')).rejects.toMatchObject({ code: ErrorCode.SessionEnded });
      expect(sessions.revoke).toHaveBeenCalledWith(
        manager,
        { sessionId: 's1' },
        'absolute_timeout',
        clock.now(),
      );
      expect(revocations.markRevoked).toHaveBeenCalledWith(['s1']);
    });

    it('answers `session_ended` for a session of someone else', async () => {
      sessions.lockSession.mockResolvedValue(session({ userId: 'u2' }));
      await expect(sut.selectTenant(principal, 'N2')).rejects.toMatchObject({ code: ErrorCode.SessionEnded });
    });
  });

  describe('revokeAllForUser', () => {
    it('in the caller’s transaction, keeps the excepted session and marks the rest after commit', async () => {
      sessions.revoke.mockResolvedValue([{ id: 's2', userId: 'u1', activeTenant: null }]);
      await sut.revokeAllForUser('u1', 'password_changed', manager, 's1');
      expect(sessions.transaction).not.toHaveBeenCalled();
      expect(sessions.revoke).toHaveBeenCalledWith(
        manager,
        { userId: 'u1', exceptSessionId: 's1' },
        'password_changed',
        clock.now(),
      );
      expect(accounts.findById).toHaveBeenCalledWith('u1', manager);
      expect(facts()).toEqual([
        {
          type: 'auth.session.ended',
          actor: { userId: 'u1' },
          target: { type: 'session', id: 's2' },
          outcome: 'info',
          reasons: ['password_changed'],
          tenants: ['N1', 'N2'],
        },
      ]);
      expect(revocations.markRevoked).toHaveBeenCalledWith(['s2']);
    });

    it('without a transaction, in one of its own', async () => {
      await sut.revokeAllForUser('u1', 'password_reset');
      expect(sessions.transaction).toHaveBeenCalledTimes(1);
      expect(revocations.markRevoked).toHaveBeenCalledWith([]);
    });
  });
});
