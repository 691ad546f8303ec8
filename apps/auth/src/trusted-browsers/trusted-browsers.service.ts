import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { APP_CONFIG, AuthEnv, Clock } from '@app/config';
import { CallContext, DomainError, ErrorCode, MAX_NAME, Principal, TrustedBrowserView } from '@app/contracts';
import { SecretHasher } from '../crypto/secret-hasher';
import { AuditFacts } from '../users/audit-facts';
import { LoginAccount } from '../users/login-account';
import { LoginAccountRepository } from '../users/login-account.repository';
import { StepUpService } from '../flows/step-up.service';
import { isUuid } from '../users/caller-verifier';
import { trustedBrowserTtlSeconds } from './trusted-browser-ttl.util';
import { TrustedBrowserRow, TrustedBrowsersRepository } from './trusted-browsers.repository';

/** 32 bytes = 256 bits: a device token cannot be guessed. */
const DEVICE_TOKEN_BYTES = 32;
/** Binds the HMAC to this use: a value from another table means nothing here. */
const DEVICE_TOKEN_HMAC_CONTEXT = 'trusted-browser';
/** What is kept of the user agent and address for the user's list; longer is not a real browser. */
const MAX_USER_AGENT = 512;
const MAX_IP = 64;

/**
 * Trusted browsers (AUTH-9). At verify the user may trust the browser under a name; it then skips
 * the second step until it expires (TRUSTED_BROWSER_TTL_SECONDS, or longer up to 90 days by tenant
 * policy), is revoked, or the user's credential version moves on (password reset, MFA reset, "log
 * out everywhere"). The device token is random and kept only as an HMAC; it is bound to its user,
 * so one user's token never skips anything for another.
 */
@Injectable()
export class TrustedBrowsersService {
  constructor(
    private readonly browsers: TrustedBrowsersRepository,
    private readonly secrets: SecretHasher,
    private readonly accounts: LoginAccountRepository,
    private readonly stepUp: StepUpService,
    private readonly facts: AuditFacts,
    private readonly clock: Clock,
    @Inject(APP_CONFIG) private readonly config: AuthEnv,
  ) {}

  /**
   * Registers the browser of `ctx` as trusted by this account under `name`, inside the login's
   * transaction, and returns the device token for the response field and the cookie.
   */
  async issue(
    manager: EntityManager,
    account: LoginAccount,
    name: string,
    ctx: CallContext,
  ): Promise<string | undefined> {
    const trimmed = name.trim();
    if (trimmed.length < 1 || trimmed.length > MAX_NAME) {
      throw new DomainError(ErrorCode.ValidationFailed, {
        fields: { 'trustBrowser.name': [`name must be 1 to ${MAX_NAME} characters`] },
      });
    }
    const now = this.clock.now();
    const ttl = trustedBrowserTtlSeconds(
      this.config.TRUSTED_BROWSER_TTL_SECONDS,
      await this.browsers.tenantTtlSettings(manager, account.user.id),
    );
    const token = this.secrets.randomToken(DEVICE_TOKEN_BYTES);
    const id = randomUUID();
    const inserted = await this.browsers.insert(manager, {
      id,
      userId: account.user.id,
      tokenHmac: this.secrets.hmac(token, DEVICE_TOKEN_HMAC_CONTEXT),
      name: trimmed,
      createdAt: now,
      expiresAt: new Date(now.getTime() + ttl * 1000),
      userAgent: ctx.userAgent?.slice(0, MAX_USER_AGENT) ?? null,
      ip: ctx.ip?.slice(0, MAX_IP) ?? null,
    });
    if (!inserted) {
      return undefined;
    }
    await this.facts.of(account).record(manager, {
      type: 'auth.trusted_browser.added',
      target: { type: 'trusted_browser', id },
      outcome: 'success',
    });
    return token;
  }

  /**
   * The id of this user's live trusted browser holding `deviceToken`, its use recorded; null for
   * any other token (another user's, revoked, expired, from before a credential change, made up).
   */
  async recognise(userId: string, deviceToken: string): Promise<string | null> {
    if (deviceToken.length === 0) {
      return null;
    }
    return this.browsers.use(
      userId,
      this.secrets.hmac(deviceToken, DEVICE_TOKEN_HMAC_CONTEXT),
      this.clock.now(),
    );
  }

  /** The caller's live trusted browsers; never a token. */
  async list(principal: Principal | undefined): Promise<TrustedBrowserView[]> {
    const caller = this.caller(principal);
    const rows = await this.browsers.listLive(caller.id, this.clock.now());
    return rows.map(toView);
  }

  /** Revokes one of the caller's browsers (step-up, AUTH-12); anyone else's id is `not_found`. */
  async revoke(principal: Principal | undefined, id: string): Promise<void> {
    await this.stepUp.require(principal, 'trusted_browser.revoke');
    const caller = this.caller(principal);
    if (!isUuid(id)) {
      throw new DomainError(ErrorCode.NotFound);
    }
    const revoked = await this.revokeAndAudit(caller, ['user_revoked'], id);
    if (revoked === 0) {
      throw new DomainError(ErrorCode.NotFound);
    }
  }

  /** Revokes every browser of the caller (step-up, AUTH-12). */
  async revokeAll(principal: Principal | undefined): Promise<void> {
    await this.stepUp.require(principal, 'trusted_browser.revoke');
    await this.revokeAndAudit(this.caller(principal), ['user_revoked_all']);
  }

  /** One `auth.trusted_browser.revoked` per browser, in the transaction that revokes it. */
  private async revokeAndAudit(caller: Principal, reasons: string[], id?: string): Promise<number> {
    const account = await this.accounts.ofCaller(caller);
    const facts = this.facts.of(account, caller.tenant);
    return this.browsers.transaction(async (manager) => {
      const ids = await this.browsers.revokeLive(manager, caller.id, this.clock.now(), id);
      for (const revokedId of ids) {
        await facts.record(manager, {
          type: 'auth.trusted_browser.revoked',
          target: { type: 'trusted_browser', id: revokedId },
          outcome: 'success',
          reasons,
        });
      }
      return ids.length;
    });
  }

  private caller(principal: Principal | undefined): Principal {
    if (!principal || !isUuid(principal.id)) {
      throw new DomainError(ErrorCode.Unauthorized);
    }
    return principal;
  }
}

function toView(row: TrustedBrowserRow): TrustedBrowserView {
  return {
    id: row.id,
    name: row.name,
    createdAt: new Date(row.created_at).toISOString(),
    lastUsedAt: row.last_used_at ? new Date(row.last_used_at).toISOString() : null,
    userAgent: row.user_agent,
    ip: row.ip,
    expiresAt: new Date(row.expires_at).toISOString(),
  };
}
