import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { WebauthnChallenge, WebauthnChallengePurpose } from './webauthn-challenge.entity';

const T = 'auth.webauthn_challenge';

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
 * SQL of auth.webauthn_challenge (AUTH-10). Taking is one atomic UPDATE … WHERE used_at IS NULL AND
 * expires_at > now: however many answers race for one challenge, exactly one gets it, and a replayed
 * answer finds it spent. Time is the caller's (the injected Clock).
 */
@Injectable()
export class WebauthnChallengeRepository {
  constructor(private readonly dataSource: DataSource) {}

  /** Deletes at most `limit` challenges that expired before `before`. */
  async sweep(before: Date, limit: number): Promise<void> {
    await this.dataSource.query(
      `DELETE FROM ${T} WHERE id IN (SELECT id FROM ${T} WHERE expires_at < $1 LIMIT ${limit})`,
      [before],
    );
  }

  async insert(challenge: WebauthnChallenge): Promise<void> {
    await this.dataSource.getRepository(WebauthnChallenge).insert(challenge);
  }

  /** The login challenge `flowId`, spent at `now` by this call; null when unknown, spent or expired. */
  async takeLogin(flowId: string, now: Date): Promise<WebauthnChallenge | null> {
    return this.take(`id = $2 AND purpose = 'login'`, [now, flowId]);
  }

  /** The registration challenge `challenge` of `userId`, spent at `now` by this call; else null. */
  async takeRegistration(userId: string, challenge: string, now: Date): Promise<WebauthnChallenge | null> {
    return this.take(`challenge = $2 AND user_id = $3 AND purpose = 'registration'`, [
      now,
      challenge,
      userId,
    ]);
  }

  private async take(where: string, params: unknown[]): Promise<WebauthnChallenge | null> {
    const rows: ChallengeRow[] = await this.dataSource.query(
      // A CTE so the driver hands back the RETURNING rows (a bare UPDATE gives [rows, count]).
      `WITH taken AS (
         UPDATE ${T} SET used_at = $1
         WHERE ${where} AND used_at IS NULL AND expires_at > $1
         RETURNING *)
       SELECT * FROM taken`,
      params,
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
