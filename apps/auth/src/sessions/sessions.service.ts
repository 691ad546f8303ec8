import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { APP_CONFIG, AuthEnv, Clock } from '@app/config';
import { AuthenticatedResult, DomainError, ErrorCode, Principal } from '@app/contracts';
import { SecretBox } from '../crypto/secret-box';
import { AuditFacts, OutcomeWrite } from '../users/audit-facts';
import { LoginAccount, membershipViews } from '../users/login-account';
import { LoginAccountRepository } from '../users/login-account.repository';
import { initialTenant, roleIn, stillMemberOf } from '../tokens/token-claims.util';
import { TokenIssuer } from '../tokens/token-issuer.service';
import { AfterCommitHook } from './after-commit.hook';
import { RefreshToken } from './refresh-token.entity';
import { Session } from './session.entity';
import { SessionRevocationCache } from './session-revocation.cache';
import { SessionScope, SessionsRepository } from './sessions.repository';

export interface StartSessionOptions {
  /** When the second step was completed in this login, null when none was owed. */
  secondFactorAt: Date | null;
  ip?: string | null;
  userAgent?: string | null;
}

type RefreshOutcome =
  | { kind: 'refreshed'; result: AuthenticatedResult }
  | { kind: 'reused'; revoked: string[] }
  | { kind: 'ended'; revoked: string[] };

/**
 * Sessions and tokens (AUTH-15, AUTH-18): a session holds a rotating refresh token; a refresh token
 * is good once, and a second use of one means it was stolen, so the whole session ends. Every
 * revocation is also marked in Redis after commit, where the gateway refuses the session's access
 * tokens at once.
 */
@Injectable()
export class SessionsService {
  constructor(
    private readonly sessions: SessionsRepository,
    private readonly accounts: LoginAccountRepository,
    private readonly tokens: TokenIssuer,
    private readonly facts: AuditFacts,
    private readonly revocations: SessionRevocationCache,
    private readonly afterCommit: AfterCommitHook,
    private readonly box: SecretBox,
    private readonly clock: Clock,
    @Inject(APP_CONFIG) private readonly config: AuthEnv,
  ) {}

  /** Opens a session inside the caller's transaction (the login that earned it) and issues its first tokens. */
  async start(
    manager: EntityManager,
    account: LoginAccount,
    options: StartSessionOptions,
  ): Promise<AuthenticatedResult> {
    const outcome = this.facts.outcome();
    const result = this.startWith(outcome, account, options);
    await outcome.commit(manager);
    return result;
  }

  /**
   * As `start`, the session, its first refresh token and `auth.session.started` added to `outcome`
   * (the login's one writing statement) instead of written at once: the tokens are good once that
   * statement commits.
   */
  startWith(outcome: OutcomeWrite, account: LoginAccount, options: StartSessionOptions): AuthenticatedResult {
    const now = this.clock.now();
    const session: Session = {
      id: randomUUID(),
      userId: account.user.id,
      activeTenant: initialTenant(account),
      createdAt: now,
      lastSeenAt: now,
      expiresAt: new Date(now.getTime() + this.config.SESSION_ABSOLUTE_SECONDS * 1000),
      secondFactorAt: options.secondFactorAt,
      revokedAt: null,
      revokeReason: null,
      ip: options.ip ?? null,
      userAgent: options.userAgent ?? null,
    };
    const issued = this.tokens.refreshToken(session.id);
    const token: RefreshToken = {
      id: randomUUID(),
      sessionId: session.id,
      tokenHmac: issued.hmac,
      createdAt: now,
      usedAt: null,
      successorId: null,
      successorSealed: null,
    };
    outcome.change(...this.sessions.insertSessionStatements(session, token));
    outcome.fact(this.facts.of(account, session.activeTenant), {
      type: 'auth.session.started',
      target: { type: 'session', id: session.id },
      outcome: 'success',
      reasons: options.secondFactorAt ? ['second_factor'] : ['password'],
    });
    return this.authenticated(account, session, issued.token);
  }

  /** AUTH-15 rotation with reuse detection. */
  async refresh(refreshToken: string): Promise<AuthenticatedResult> {
    if (this.tokens.sessionIdOf(refreshToken) === null) {
      throw new DomainError(ErrorCode.RefreshTokenInvalid);
    }
    const hmac = this.tokens.refreshTokenHmac(refreshToken);
    const outcome = await this.sessions.transaction((manager) => this.rotate(manager, hmac));
    switch (outcome.kind) {
      case 'refreshed':
        return outcome.result;
      case 'reused':
        await this.revocations.markRevoked(outcome.revoked);
        throw new DomainError(ErrorCode.RefreshTokenReused);
      case 'ended':
        await this.revocations.markRevoked(outcome.revoked);
        throw new DomainError(ErrorCode.SessionEnded);
    }
  }

  /** `auth.logout`: this session, or with `all` every session of the user ("log out everywhere"). */
  async logout(principal: Principal | undefined, all: boolean): Promise<void> {
    const caller = this.requirePrincipal(principal);
    if (all) {
      const revoked = await this.sessions.transaction(async (manager) => {
        // AUTH-9: "log out everywhere" also voids the user's trusted browsers, which carry this version.
        await this.sessions.bumpCredentialVersion(manager, caller.id);
        return this.revokeWhere(manager, { userId: caller.id }, 'logout_all');
      });
      await this.revocations.markRevoked(revoked);
      return;
    }
    const revoked = await this.sessions.transaction((manager) =>
      this.revokeWhere(manager, { userId: caller.id, sessionId: caller.sessionId }, 'logout'),
    );
    await this.revocations.markRevoked(revoked);
  }

  /**
   * A step-up (AUTH-12) succeeded inside `manager`'s transaction: the session records the fresh
   * second step and gets new tokens that carry it; the refresh token in the client's hands is
   * replaced, as on a tenant switch.
   */
  async completeStepUp(
    manager: EntityManager,
    sessionId: string,
    account: LoginAccount,
    now: Date,
  ): Promise<AuthenticatedResult> {
    const session = await this.sessions.lockSession(manager, sessionId);
    if (!session || session.userId !== account.user.id || session.revokedAt) {
      throw new DomainError(ErrorCode.SessionEnded);
    }
    if (this.endReason(session, account, now)) {
      throw new DomainError(ErrorCode.SessionEnded);
    }
    session.secondFactorAt = now;
    session.lastSeenAt = now;
    await this.sessions.updateSession(manager, session.id, { secondFactorAt: now, lastSeenAt: now });
    await this.sessions.spendSessionRefreshTokens(manager, session.id, now);
    const refreshToken = await this.newRefreshToken(manager, session.id, now);
    return this.authenticated(account, session, refreshToken);
  }

  /** AUTH-18: switch the session's active tenant to one the user belongs to; new tokens carry it. */
  async selectTenant(principal: Principal | undefined, tenant: string): Promise<AuthenticatedResult> {
    const caller = this.requirePrincipal(principal);
    const outcome = await this.sessions.transaction(async (manager): Promise<RefreshOutcome> => {
      const now = this.clock.now();
      const session = await this.sessions.lockSession(manager, caller.sessionId);
      if (!session || session.userId !== caller.id || session.revokedAt) {
        throw new DomainError(ErrorCode.SessionEnded);
      }
      const account = await this.accounts.findById(session.userId, manager);
      const timedOut = this.endReason(session, account, now);
      if (timedOut) {
        return {
          kind: 'ended',
          revoked: await this.revokeWhere(manager, { sessionId: session.id }, timedOut, account),
        };
      }
      if (
        !account ||
        account.user.isOperator ||
        !account.memberships.some((m) => m.tenantNumber === tenant)
      ) {
        throw new DomainError(ErrorCode.NotFound);
      }
      session.activeTenant = tenant;
      session.lastSeenAt = now;
      await this.sessions.updateSession(manager, session.id, { activeTenant: tenant, lastSeenAt: now });
      // The refresh token in the client's hands is replaced: one live refresh token per session.
      await this.sessions.spendSessionRefreshTokens(manager, session.id, now);
      const refreshToken = await this.newRefreshToken(manager, session.id, now);
      await this.facts.of(account, tenant).record(manager, {
        type: 'auth.session.refreshed',
        target: { type: 'session', id: session.id },
        outcome: 'success',
        reasons: ['tenant_selected'],
      });
      return { kind: 'refreshed', result: this.authenticated(account, session, refreshToken) };
    });
    if (outcome.kind !== 'refreshed') {
      await this.revocations.markRevoked(outcome.revoked);
      throw new DomainError(ErrorCode.SessionEnded);
    }
    return outcome.result;
  }

  /**
   * Ends every session of a user (inside `manager`'s transaction when given) and marks them revoked
   * in Redis after commit. The reset flow calls this when a password reset completes (AUTH-16);
   * a password change keeps the caller's own session (`exceptSessionId`, AUTH-17).
   * After a commit nobody is left to tell of a failed mark: SessionRevocationRemarker restores it.
   */
  async revokeAllForUser(
    userId: string,
    reason: string,
    manager?: EntityManager,
    exceptSessionId?: string,
  ): Promise<void> {
    const where = { userId, exceptSessionId };
    if (manager) {
      const revoked = await this.revokeWhere(manager, where, reason);
      await this.afterCommit.run(manager, () => this.revocations.markRevoked(revoked));
      return;
    }
    const revoked = await this.sessions.transaction((m) => this.revokeWhere(m, where, reason));
    await this.revocations.markRevoked(revoked);
  }

  private async rotate(manager: EntityManager, hmac: string): Promise<RefreshOutcome> {
    const now = this.clock.now();
    const found = await this.sessions.refreshTokenByHmac(manager, hmac);
    if (!found) {
      throw new DomainError(ErrorCode.RefreshTokenInvalid);
    }
    // Every refresh of one session queues here, so a token used twice at once is seen as reused.
    const session = await this.sessions.lockSession(manager, found.sessionId);
    // Read again under the lock: a concurrent refresh may have spent it while we waited.
    const token = await this.sessions.refreshTokenById(manager, found.id);
    if (!session || !token) {
      throw new DomainError(ErrorCode.RefreshTokenInvalid);
    }
    if (token.usedAt) {
      return (await this.graceReplay(manager, session, token, now)) ?? this.reused(manager, session);
    }
    if (session.revokedAt) {
      throw new DomainError(ErrorCode.SessionEnded);
    }
    const account = await this.accounts.findById(session.userId, manager);
    const ended = this.endReason(session, account, now);
    if (ended) {
      return {
        kind: 'ended',
        revoked: await this.revokeWhere(manager, { sessionId: session.id }, ended, account),
      };
    }
    if (!(await this.sessions.spendRefreshToken(manager, token.id, now))) {
      return this.reused(manager, session);
    }
    const current = account as LoginAccount;
    session.lastSeenAt = now;
    session.activeTenant = stillMemberOf(current, session.activeTenant);
    await this.sessions.updateSession(manager, session.id, {
      lastSeenAt: now,
      activeTenant: session.activeTenant,
    });
    const successor = await this.issueRefreshToken(manager, session.id, now);
    const refreshToken = successor.token;
    await this.sessions.setSuccessor(manager, token.id, successor.id, this.box.seal(refreshToken, token.id));
    await this.facts.of(current, session.activeTenant).record(manager, {
      type: 'auth.session.refreshed',
      target: { type: 'session', id: session.id },
      outcome: 'success',
    });
    return { kind: 'refreshed', result: this.authenticated(current, session, refreshToken) };
  }

  /**
   * A used refresh token back within REFRESH_REUSE_GRACE_SECONDS of its rotation: the same client
   * racing itself (two tabs refreshing at once) gets the very successor the first request got, with
   * a fresh access token, so its session goes on and it still holds ONE live refresh token. Only
   * while that successor is unused and the session alive; anything else (later, a successor already
   * spent, a token replaced by a step-up or a tenant switch) is a reuse as before and ends the
   * session. Runs under the session's row lock, like every refresh of it.
   */
  private async graceReplay(
    manager: EntityManager,
    session: Session,
    token: RefreshToken,
    now: Date,
  ): Promise<RefreshOutcome | null> {
    const graceMs = this.config.REFRESH_REUSE_GRACE_SECONDS * 1000;
    if (
      !token.usedAt ||
      !token.successorId ||
      !token.successorSealed ||
      session.revokedAt ||
      now.getTime() - token.usedAt.getTime() > graceMs
    ) {
      return null;
    }
    const successor = await this.sessions.refreshTokenById(manager, token.successorId);
    const account = await this.accounts.findById(session.userId, manager);
    if (!successor || successor.usedAt || this.endReason(session, account, now)) {
      return null;
    }
    const refreshToken = this.box.open(token.successorSealed, token.id);
    session.lastSeenAt = now;
    await this.sessions.updateSession(manager, session.id, { lastSeenAt: now });
    await this.facts.of(account, session.activeTenant).record(manager, {
      type: 'auth.session.refreshed',
      target: { type: 'session', id: session.id },
      outcome: 'success',
      reasons: ['grace_replay'],
    });
    return { kind: 'refreshed', result: this.authenticated(account as LoginAccount, session, refreshToken) };
  }

  /** A used refresh token came back: someone holds a copy, so the session ends for everyone. */
  private async reused(manager: EntityManager, session: Session): Promise<RefreshOutcome> {
    const account = await this.accounts.findById(session.userId, manager);
    const revoked = await this.revokeWhere(
      manager,
      { sessionId: session.id },
      'refresh_reuse',
      account,
      false,
    );
    await this.facts.of(account, session.activeTenant).record(manager, {
      type: 'auth.session.refresh_reused',
      target: { type: 'session', id: session.id },
      outcome: 'denied',
      reasons: ['refresh_reuse'],
    });
    return { kind: 'reused', revoked };
  }

  /** Why a live session can no longer be refreshed, or null when it can (idle and absolute timeouts). */
  private endReason(session: Session, account: LoginAccount | null, now: Date): string | null {
    if (!account || account.user.loginDisabled) {
      return 'login_disabled';
    }
    if (now.getTime() - session.lastSeenAt.getTime() > this.config.SESSION_IDLE_SECONDS * 1000) {
      return 'idle_timeout';
    }
    if (now.getTime() >= session.expiresAt.getTime()) {
      return 'absolute_timeout';
    }
    return null;
  }

  /** Revokes the matching live sessions, one `auth.session.ended` each; returns their ids for the Redis marks. */
  private async revokeWhere(
    manager: EntityManager,
    where: SessionScope,
    reason: string,
    knownAccount?: LoginAccount | null,
    audit = true,
  ): Promise<string[]> {
    const rows = await this.sessions.revoke(manager, where, reason, this.clock.now());
    if (audit && rows.length > 0) {
      const account =
        knownAccount !== undefined ? knownAccount : await this.accounts.findById(rows[0].userId, manager);
      for (const row of rows) {
        await this.facts.of(account, row.activeTenant).record(manager, {
          type: 'auth.session.ended',
          target: { type: 'session', id: row.id },
          outcome: 'info',
          reasons: [reason],
        });
      }
    }
    return rows.map((r) => r.id);
  }

  private async newRefreshToken(manager: EntityManager, sessionId: string, now: Date): Promise<string> {
    return (await this.issueRefreshToken(manager, sessionId, now)).token;
  }

  /** A new refresh token of the session: the token for the client and its row's id. */
  private async issueRefreshToken(
    manager: EntityManager,
    sessionId: string,
    now: Date,
  ): Promise<{ token: string; id: string }> {
    const issued = this.tokens.refreshToken(sessionId);
    const id = randomUUID();
    const row: RefreshToken = {
      id,
      sessionId,
      tokenHmac: issued.hmac,
      createdAt: now,
      usedAt: null,
      successorId: null,
      successorSealed: null,
    };
    await this.sessions.insertRefreshToken(manager, row);
    return { token: issued.token, id };
  }

  private authenticated(account: LoginAccount, session: Session, refreshToken: string): AuthenticatedResult {
    const { token: accessToken, expiresIn } = this.tokens.accessToken(
      {
        sub: account.user.id,
        sid: session.id,
        tenant: session.activeTenant,
        role: roleIn(account, session.activeTenant),
        sfa: session.secondFactorAt ? Math.floor(session.secondFactorAt.getTime() / 1000) : null,
      },
      session.expiresAt,
    );
    return {
      status: 'authenticated',
      accessToken,
      refreshToken,
      expiresIn,
      tenants: membershipViews(account),
      activeTenant: session.activeTenant,
    };
  }

  private requirePrincipal(principal: Principal | undefined): Principal {
    if (!principal) {
      throw new DomainError(ErrorCode.Unauthorized);
    }
    return principal;
  }
}
