import { Injectable } from '@nestjs/common';
import {
  AuthenticationResponseJSON,
  generateAuthenticationOptions,
  verifyAuthenticationResponse,
} from '@simplewebauthn/server';
import { EntityManager } from 'typeorm';
import { Clock } from '@app/config';
import {
  CallContext,
  DomainError,
  ErrorCode,
  LoginResult,
  normalizeUserId,
  PasskeyLoginDto,
  PasskeyLoginOptions,
  PasskeyLoginOptionsDto,
} from '@app/contracts';
import { refusedLocked } from '../lockout/credential-refusal';
import { LockoutService } from '../lockout/lockout.service';
import { AuditFacts } from '../users/audit-facts';
import { LoginAccount } from '../users/login-account';
import { LoginAccountRepository } from '../users/login-account.repository';
import { LoginCompletion } from '../login-flow/login-completion.service';
import { LoginFlowService } from '../flows/login-flow.service';
import { Passkey } from './passkey.entity';
import { PasskeyRepository } from './passkey.repository';
import { PASSKEY_CHALLENGE_TTL_MS, RelyingParty } from './relying-party';
import { WebauthnChallengeStore } from './webauthn-challenge.store';
import { encodedUserHandleFor, passkeyFailureReason } from './webauthn-input.util';

type Outcome =
  | { kind: 'done'; result: LoginResult }
  | { kind: 'locked'; retryAfter: number }
  | { kind: 'disabled' }
  | { kind: 'invalid' };

/**
 * Passkey login (AUTH-10): no password and no code. A passkey is something the user has (the
 * authenticator) unlocked by something they are or know (user verification, required here), so it
 * is the whole login and the second step is skipped (AUTH-5); the session counts as freshly
 * second-stepped.
 *
 * Failed passkey answers do not count toward the lockout: the credential ids that `options` hands
 * out would otherwise let anyone lock any account, and a signature cannot be guessed anyway. A lock
 * earned by wrong passwords or codes still refuses a passkey login (AUTH-3).
 */
@Injectable()
export class PasskeyLoginService {
  constructor(
    private readonly rp: RelyingParty,
    private readonly challenges: WebauthnChallengeStore,
    private readonly passkeys: PasskeyRepository,
    private readonly accounts: LoginAccountRepository,
    private readonly lockout: LockoutService,
    private readonly flows: LoginFlowService,
    private readonly completion: LoginCompletion,
    private readonly facts: AuditFacts,
    private readonly clock: Clock,
  ) {}

  /**
   * `POST /auth/passkey/options`: always a discoverable (identifier-less) ceremony, never a list of
   * credentials. A list would tell who has passkeys, how many and of which kind, and no decoy can
   * copy every user's count and transports; registration makes every passkey discoverable, so the
   * browser finds the user's own without one. With a user ID the flow is bound to that user (a
   * passkey of anyone else is refused at verify); a known and an unknown ID do the same one account
   * read and get answers of the same shape.
   */
  async options(dto: PasskeyLoginOptionsDto): Promise<PasskeyLoginOptions> {
    let userId: string | null = null;
    if (dto.userId !== undefined) {
      const account = await this.accounts.findByKey(normalizeUserId(dto.userId));
      userId = account?.user.id ?? null;
    }
    const options = await generateAuthenticationOptions({
      rpID: this.rp.id,
      userVerification: 'required',
      timeout: PASSKEY_CHALLENGE_TTL_MS,
    });
    const challenge = await this.challenges.issue('login', options.challenge, {
      userId,
      namesUser: dto.userId !== undefined,
    });
    return { flowId: challenge.id, options, expiresAt: challenge.expiresAt.toISOString() };
  }

  /** `POST /auth/passkey/verify`: every failed check answers the same `401 passkey_invalid`. */
  async verify(dto: PasskeyLoginDto, ctx: CallContext): Promise<LoginResult> {
    const challenge = await this.challenges.takeLogin(dto.flowId);
    const passkey = await this.passkeys.findByCredentialId(String(dto.credential.id));
    const account = passkey ? await this.accounts.findById(passkey.userId) : null;
    if (!challenge) {
      return this.refuse(account, passkey, 'challenge');
    }
    if (!passkey || !account) {
      return this.refuse(null, null, 'unknown_credential');
    }
    if (challenge.namesUser && challenge.userId !== passkey.userId) {
      return this.refuse(account, passkey, 'other_user');
    }
    const userHandle = (dto.credential.response as { userHandle?: unknown }).userHandle;
    if (userHandle !== undefined && userHandle !== encodedUserHandleFor(passkey.userId)) {
      return this.refuse(account, passkey, 'user_handle');
    }

    let newCounter: number;
    try {
      const verification = await verifyAuthenticationResponse({
        response: dto.credential as unknown as AuthenticationResponseJSON,
        expectedChallenge: challenge.challenge,
        expectedOrigin: this.rp.origins,
        expectedRPID: this.rp.id,
        credential: {
          id: passkey.credentialId,
          publicKey: new Uint8Array(passkey.publicKey),
          counter: passkey.counter,
          transports: passkey.transports,
        },
        requireUserVerification: true,
      });
      if (!verification.verified) {
        return this.refuse(account, passkey, 'signature');
      }
      newCounter = verification.authenticationInfo.newCounter;
    } catch (error) {
      // Whatever the verifier choked on (a bad signature encoding, truncated data, a wrong origin…)
      // is the client's answer being wrong, never a server fault.
      return this.refuse(account, passkey, passkeyFailureReason(error));
    }

    const outcome = await this.passkeys.transaction((manager) =>
      this.finish(manager, account, passkey, newCounter, ctx),
    );
    switch (outcome.kind) {
      case 'done':
        return outcome.result;
      case 'locked':
        throw new DomainError(ErrorCode.AccountLocked, { retryAfter: outcome.retryAfter });
      case 'disabled':
        throw new DomainError(ErrorCode.LoginDisabled);
      case 'invalid':
        throw new DomainError(ErrorCode.PasskeyInvalid);
    }
  }

  /** A verified answer: the account's state decides, then the use is recorded and the login ends. */
  private async finish(
    manager: EntityManager,
    account: LoginAccount,
    passkey: Passkey,
    newCounter: number,
    ctx: CallContext,
  ): Promise<Outcome> {
    const target = { type: 'passkey', id: passkey.id };
    const lockedFor = await this.lockout.lockedFor(account.user.userIdKey, manager);
    if (lockedFor !== null) {
      await this.facts.of(account).record(manager, refusedLocked(target));
      return { kind: 'locked', retryAfter: lockedFor };
    }
    if (account.user.loginDisabled) {
      await this.facts.of(account).record(manager, {
        type: 'auth.login.refused_disabled',
        target,
        outcome: 'denied',
        reasons: ['login_disabled'],
      });
      return { kind: 'disabled' };
    }
    const now = this.clock.now();
    if (!(await this.passkeys.recordUse(manager, passkey.id, newCounter, now))) {
      // Another answer with this counter or a higher one got in first.
      await this.recordFailure(manager, account, passkey, 'counter');
      return { kind: 'invalid' };
    }
    if (await this.completion.owesInitialPassword(manager, account.user.id)) {
      // The passkey stands for both steps; the initial authentication password is still owed (AUTH-14).
      const flow = await this.flows.open(manager, account.user.id, 'login', ctx);
      await this.flows.advanceToInitialPassword(manager, flow, now, 'passkey', null);
      return { kind: 'done', result: { status: 'initial_password_required', flowId: flow.id } };
    }
    const result = await this.completion.finish(manager, account, {
      secondFactorAt: now,
      methods: ['passkey'],
      ctx,
    });
    return { kind: 'done', result };
  }

  private async refuse(account: LoginAccount | null, passkey: Passkey | null, why: string): Promise<never> {
    await this.passkeys.transaction((manager) => this.recordFailure(manager, account, passkey, why));
    throw new DomainError(ErrorCode.PasskeyInvalid);
  }

  /** `auth.login.failed` with the reason code; never the credential or anything from it. */
  private async recordFailure(
    manager: EntityManager,
    account: LoginAccount | null,
    passkey: Passkey | null,
    why: string,
  ): Promise<void> {
    await this.facts.of(account).record(manager, {
      type: 'auth.login.failed',
      ...(passkey ? { target: { type: 'passkey', id: passkey.id } } : {}),
      outcome: 'failure',
      reasons: ['passkey', why],
    });
  }
}
