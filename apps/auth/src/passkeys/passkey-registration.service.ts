import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import {
  generateRegistrationOptions,
  RegistrationResponseJSON,
  verifyRegistrationResponse,
} from '@simplewebauthn/server';
import { Clock } from '@app/config';
import {
  DomainError,
  ErrorCode,
  PasskeyRegistrationOptions,
  PasskeyView,
  Principal,
  RegisterPasskeyDto,
} from '@app/contracts';
import { AuditFacts } from '../users/audit-facts';
import { LoginAccountRepository } from '../users/login-account.repository';
import { StepUpService } from '../flows/step-up.service';
import { isUniqueViolation } from '../users/unique-violation.util';
import { passkeyName } from './passkey-name.util';
import { passkeyView } from './passkey-view.util';
import { Passkey } from './passkey.entity';
import { UserNotices } from '../users/user-notices';
import { PasskeyRepository } from './passkey.repository';
import { PASSKEY_ALGORITHMS, PASSKEY_CHALLENGE_TTL_MS, RelyingParty } from './relying-party';
import { WebauthnChallengeStore } from './webauthn-challenge.store';
import { authenticatorTransports, claimedChallenge, userHandleFor } from './webauthn-input.util';

/**
 * Registering a passkey (AUTH-10): a change of how one signs in, so it needs a fresh second step
 * (AUTH-12) both for the options and for the answer. User verification is asked as "preferred", so
 * the browser offers every authenticator, but required when the answer is verified: a passkey
 * replaces the password and the code at login, so one that cannot verify its user is refused here,
 * once, rather than at every login.
 */
@Injectable()
export class PasskeyRegistrationService {
  constructor(
    private readonly rp: RelyingParty,
    private readonly challenges: WebauthnChallengeStore,
    private readonly passkeys: PasskeyRepository,
    private readonly accounts: LoginAccountRepository,
    private readonly stepUp: StepUpService,
    private readonly facts: AuditFacts,
    private readonly clock: Clock,
    private readonly notices: UserNotices,
  ) {}

  async options(principal: Principal | undefined): Promise<PasskeyRegistrationOptions> {
    await this.stepUp.require(principal, 'passkey.register');
    const account = await this.accounts.ofCaller(principal);
    const owned = await this.passkeys.listFor(account.user.id);
    const user = account.user;
    const options = await generateRegistrationOptions({
      rpName: this.rp.name,
      rpID: this.rp.id,
      userName: user.userId,
      userID: userHandleFor(user.id),
      userDisplayName: user.displayName ?? [user.familyName, user.givenName].filter(Boolean).join(' '),
      timeout: PASSKEY_CHALLENGE_TTL_MS,
      attestationType: 'none',
      excludeCredentials: owned.map((p) => ({ id: p.credentialId, transports: p.transports })),
      // Discoverable only: login offers no credential list (see PasskeyLoginService.options), so a
      // passkey the browser cannot find by itself could never be used.
      authenticatorSelection: { residentKey: 'required', userVerification: 'preferred' },
      supportedAlgorithmIDs: PASSKEY_ALGORITHMS,
    });
    const challenge = await this.challenges.issue('registration', options.challenge, {
      userId: user.id,
      namesUser: true,
    });
    return { options, expiresAt: challenge.expiresAt.toISOString() };
  }

  async register(principal: Principal | undefined, dto: RegisterPasskeyDto): Promise<PasskeyView> {
    await this.stepUp.require(principal, 'passkey.register');
    const account = await this.accounts.ofCaller(principal);
    const name = passkeyName(dto.name);

    // The challenge is spent before the answer is verified: right or wrong, it answers once.
    const claimed = claimedChallenge(dto.credential.response);
    const challenge = claimed ? await this.challenges.takeRegistration(account.user.id, claimed) : null;
    if (!challenge) {
      throw new DomainError(ErrorCode.PasskeyInvalid);
    }
    const credential = await this.verify(dto, challenge.challenge);

    const now = this.clock.now();
    const passkey: Passkey = {
      id: randomUUID(),
      userId: account.user.id,
      credentialId: credential.id,
      publicKey: Buffer.from(credential.publicKey),
      counter: credential.counter,
      transports: authenticatorTransports(credential.transports),
      name,
      createdAt: now,
      lastUsedAt: null,
    };
    try {
      await this.passkeys.transaction(async (manager) => {
        await this.passkeys.insert(manager, passkey);
        await this.facts.of(account, principal?.tenant).record(manager, {
          type: 'auth.passkey.registered',
          target: { type: 'passkey', id: passkey.id },
          outcome: 'success',
        });
      });
    } catch (error) {
      if (isUniqueViolation(error, 'passkey_credential_id_key')) {
        // This authenticator's credential is registered already (the options excluded it).
        throw new DomainError(ErrorCode.Conflict);
      }
      throw error;
    }
    // The owner hears of a new way into the account, at its address, once it has committed (NOTIF-3).
    await this.notices.send(this.notices.notice(account, 'mfa-changed', { change: 'passkey_added' }));
    return passkeyView(passkey);
  }

  /** The new credential, or `passkey_invalid` whatever is wrong with the answer. */
  private async verify(dto: RegisterPasskeyDto, expectedChallenge: string) {
    try {
      const verification = await verifyRegistrationResponse({
        response: dto.credential as unknown as RegistrationResponseJSON,
        expectedChallenge,
        expectedOrigin: this.rp.origins,
        expectedRPID: this.rp.id,
        requireUserVerification: true,
        supportedAlgorithmIDs: PASSKEY_ALGORITHMS,
      });
      if (verification.verified) {
        return verification.registrationInfo.credential;
      }
    } catch {
      // Malformed or not ours: the same answer as a failed verification (the message may quote input).
    }
    throw new DomainError(ErrorCode.PasskeyInvalid);
  }
}
