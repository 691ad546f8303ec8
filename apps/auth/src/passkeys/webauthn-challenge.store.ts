import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { Clock } from '@app/config';
import { PASSKEY_CHALLENGE_TTL_MS } from './relying-party';
import { WebauthnChallenge, WebauthnChallengePurpose } from './webauthn-challenge.entity';
import { WebauthnChallengeRepository } from './webauthn-challenge.repository';

/** Spent and expired challenges are kept a day (for an investigation), then swept. */
export const KEEP_MS = 24 * 60 * 60 * 1000;
/** A sweep's bound, so one request never pays for a backlog. */
export const SWEEP_BATCH = 100;

/**
 * Server-side WebAuthn challenges (AUTH-10): issued with the options, taken by the answer, each at
 * most once (WebauthnChallengeRepository takes in one atomic statement). Time is the Clock's.
 */
@Injectable()
export class WebauthnChallengeStore {
  constructor(
    private readonly challenges: WebauthnChallengeRepository,
    private readonly clock: Clock,
  ) {}

  async issue(
    purpose: WebauthnChallengePurpose,
    challenge: string,
    owner: { userId: string | null; namesUser: boolean },
  ): Promise<WebauthnChallenge> {
    const now = this.clock.now();
    await this.challenges.sweep(new Date(now.getTime() - KEEP_MS), SWEEP_BATCH);
    const row: WebauthnChallenge = {
      id: randomUUID(),
      userId: owner.userId,
      purpose,
      namesUser: owner.namesUser,
      challenge,
      createdAt: now,
      expiresAt: new Date(now.getTime() + PASSKEY_CHALLENGE_TTL_MS),
      usedAt: null,
    };
    await this.challenges.insert(row);
    return row;
  }

  /** The login challenge `flowId`, spent by this call; null when unknown, spent or expired. */
  async takeLogin(flowId: string): Promise<WebauthnChallenge | null> {
    return this.challenges.takeLogin(flowId, this.clock.now());
  }

  /** The registration challenge `challenge` issued to `userId`, spent by this call; else null. */
  async takeRegistration(userId: string, challenge: string): Promise<WebauthnChallenge | null> {
    return this.challenges.takeRegistration(userId, challenge, this.clock.now());
  }
}
