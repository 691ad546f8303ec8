import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { Clock } from '@app/config';
import { PASSKEY_CHALLENGE_TTL_MS } from './relying-party';
import { WebauthnChallenge, WebauthnChallengePurpose } from './webauthn-challenge.entity';

const T = 'auth.webauthn_challenge';
/** Spent and expired challenges are kept a day (for an investigation), then swept. */
const KEEP_MS = 24 * 60 * 60 * 1000;
/** A sweep's bound, so one request never pays for a backlog. */
const SWEEP_BATCH = 100;

interface ChallengeRow {
  id: string;
  user_id: string | null;
  purpose: WebauthnChallengePurpose;
  names_user: boolean;
  challenge: string;
  created_at: Date;
  expires_at: Date;
  used_at: Date | null;
}

/**
 * Server-side WebAuthn challenges (AUTH-10): issued with the options, taken by the answer. Taking
 * is one atomic UPDATE … WHERE used_at IS NULL AND expires_at > now: however many answers race for
 * one challenge, exactly one gets it, and a replayed answer finds it spent. Time is the Clock's.
 */
@Injectable()
export class WebauthnChallengeStore {
  constructor(
    private readonly dataSource: DataSource,
    private readonly clock: Clock,
  ) {}

  async issue(
    purpose: WebauthnChallengePurpose,
    challenge: string,
    owner: { userId: string | null; namesUser: boolean },
  ): Promise<WebauthnChallenge> {
    const now = this.clock.now();
    await this.dataSource.query(
      `DELETE FROM ${T} WHERE id IN (SELECT id FROM ${T} WHERE expires_at < $1 LIMIT ${SWEEP_BATCH})`,
      [new Date(now.getTime() - KEEP_MS)],
    );
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
    await this.dataSource.getRepository(WebauthnChallenge).insert(row);
    return row;
  }

  /** The login challenge `flowId`, spent by this call; null when unknown, spent or expired. */
  async takeLogin(flowId: string): Promise<WebauthnChallenge | null> {
    return this.take(`id = $2 AND purpose = 'login'`, [flowId]);
  }

  /** The registration challenge `challenge` issued to `userId`, spent by this call; else null. */
  async takeRegistration(userId: string, challenge: string): Promise<WebauthnChallenge | null> {
    return this.take(`challenge = $2 AND user_id = $3 AND purpose = 'registration'`, [challenge, userId]);
  }

  private async take(where: string, params: unknown[]): Promise<WebauthnChallenge | null> {
    const rows: ChallengeRow[] = await this.dataSource.query(
      // A CTE so the driver hands back the RETURNING rows (a bare UPDATE gives [rows, count]).
      `WITH taken AS (
         UPDATE ${T} SET used_at = $1
         WHERE ${where} AND used_at IS NULL AND expires_at > $1
         RETURNING *)
       SELECT * FROM taken`,
      [this.clock.now(), ...params],
    );
    const row = rows[0];
    return row
      ? {
          id: row.id,
          userId: row.user_id,
          purpose: row.purpose,
          namesUser: row.names_user,
          challenge: row.challenge,
          createdAt: row.created_at,
          expiresAt: row.expires_at,
          usedAt: row.used_at,
        }
      : null;
  }
}
