import { Injectable } from '@nestjs/common';
import { SecretHasher } from '../crypto/secret-hasher';
import { deviceKey } from './device-key.util';
import { ipNetwork } from './ip-network.util';
import { FingerprintKind } from './login-fingerprint.entity';
import { Fingerprint, LoginMemoryRepository, SessionRow } from './login-memory.repository';
import { LoginMemorySnapshot } from './risk-signal';

/** A device or network last seen longer ago than this counts as new again. */
export const FINGERPRINT_MEMORY_MS = 180 * 24 * 60 * 60 * 1000;
/**
 * Sessions are folded in from a little before the newest one already folded: a session whose
 * transaction committed late (two logins of one user at the same moment) is still picked up.
 * Folding is idempotent, so the overlap costs nothing but a re-read.
 */
export const FOLD_OVERLAP_MS = 5 * 60 * 1000;
/** At most this many sessions are folded per login (the first login after a long history). */
export const FOLD_BATCH = 200;

export type { SessionRow } from './login-memory.repository';

/**
 * What the password step's one read already holds of the memory (PasswordStepRepository): the same
 * facts `recall` would query, so a login spends no round trip of its own on them.
 */
export interface LoginMemoryRows {
  /** Any fingerprint of the user, however old. */
  hasHistory: boolean;
  /** `kind:value_hmac` of every fingerprint seen within FINGERPRINT_MEMORY_MS. */
  recentPrints: string[];
  /** The sessions `fold` would read (since the newest fingerprint, less the overlap; newest first). */
  sessionsToFold: SessionRow[];
  lastLogin: { ip: string | null; at: Date } | null;
  /** The lockout's settled count of the key. */
  recentFailures: number;
}

/**
 * What the risk check remembers of a user's successful logins (AUTH-11), in auth.login_fingerprint.
 *
 * A successful login is one that started a session — whatever the way in: password only, after a
 * second step, a trusted browser, a passkey. Rather than hook every one of those, the sessions the
 * user started since the last look are folded into the fingerprints at the start of the next
 * password step: one indexed read that usually returns the previous login's session, and one upsert.
 * So nothing is remembered from a login that never completed — a thief who has the password but not
 * the second step cannot make their device "known" by trying — and the sessions table can be purged
 * without the memory going with it. Only HMACs are stored; the raw address and user agent stay in
 * the session alone.
 */
@Injectable()
export class LoginMemory {
  constructor(
    private readonly rows: LoginMemoryRepository,
    private readonly secrets: SecretHasher,
  ) {}

  async recall(
    userId: string,
    userIdKey: string,
    login: { ip: string | null; userAgent: string | null; now: Date },
    loaded?: LoginMemoryRows,
  ): Promise<LoginMemorySnapshot> {
    if (loaded) {
      return this.fromRows(userId, login, loaded);
    }
    await this.fold(userId);
    const device = deviceKey(login.userAgent);
    const network = ipNetwork(login.ip);
    const seenSince = new Date(login.now.getTime() - FINGERPRINT_MEMORY_MS);
    const row = await this.rows.recall(
      userId,
      userIdKey,
      device ? this.hmac(userId, 'device', device) : '',
      network ? this.hmac(userId, 'network', network) : '',
      seenSince,
    );
    return {
      hasHistory: row.has_history,
      deviceKnown: device ? row.device_known : null,
      networkKnown: network ? row.network_known : null,
      lastLogin: row.last_at ? { ip: row.last_ip, at: new Date(row.last_at) } : null,
      recentFailures: row.recent_failures ?? 0,
    };
  }

  /**
   * As `recall` from rows already read: the sessions not yet folded are folded (one upsert, only when
   * there are any) and counted as the memory `recall` would see after its own fold.
   */
  private async fromRows(
    userId: string,
    login: { ip: string | null; userAgent: string | null; now: Date },
    loaded: LoginMemoryRows,
  ): Promise<LoginMemorySnapshot> {
    const prints = this.fingerprintsOf(userId, loaded.sessionsToFold);
    await this.remember(userId, prints);
    const seenSince = login.now.getTime() - FINGERPRINT_MEMORY_MS;
    const known = new Set(loaded.recentPrints);
    for (const p of prints) {
      if (p.lastSeen.getTime() > seenSince) {
        known.add(`${p.kind}:${p.valueHmac}`);
      }
    }
    const device = deviceKey(login.userAgent);
    const network = ipNetwork(login.ip);
    return {
      hasHistory: loaded.hasHistory || prints.length > 0,
      deviceKnown: device ? known.has(`device:${this.hmac(userId, 'device', device)}`) : null,
      networkKnown: network ? known.has(`network:${this.hmac(userId, 'network', network)}`) : null,
      lastLogin: loaded.lastLogin,
      recentFailures: loaded.recentFailures,
    };
  }

  /** Folds the sessions started since the newest fingerprint into the fingerprints (idempotent). */
  async fold(userId: string): Promise<void> {
    const sessions = await this.rows.sessionsToFold(userId, FOLD_OVERLAP_MS, FOLD_BATCH);
    await this.remember(userId, this.fingerprintsOf(userId, sessions));
  }

  /** Upserts fingerprints (first seen the earliest, last seen the latest); nothing to do, no round trip. */
  private async remember(userId: string, prints: Fingerprint[]): Promise<void> {
    if (prints.length === 0) {
      return;
    }
    // Sorted, so two folds of the same user lock the rows in the same order (no deadlock).
    prints.sort((a, b) => `${a.kind}${a.valueHmac}`.localeCompare(`${b.kind}${b.valueHmac}`));
    await this.rows.upsert(userId, prints);
  }

  /** One fingerprint per distinct device and network of the sessions, with its first and last time. */
  private fingerprintsOf(userId: string, sessions: SessionRow[]): Fingerprint[] {
    const byKey = new Map<string, Fingerprint>();
    const add = (kind: FingerprintKind, value: string | null, at: Date) => {
      if (!value) {
        return;
      }
      const valueHmac = this.hmac(userId, kind, value);
      const seen = byKey.get(`${kind}:${valueHmac}`);
      if (!seen) {
        byKey.set(`${kind}:${valueHmac}`, { kind, valueHmac, firstSeen: at, lastSeen: at });
        return;
      }
      seen.firstSeen = at < seen.firstSeen ? at : seen.firstSeen;
      seen.lastSeen = at > seen.lastSeen ? at : seen.lastSeen;
    };
    for (const s of sessions) {
      const at = new Date(s.created_at);
      add('device', deviceKey(s.user_agent), at);
      add('network', ipNetwork(s.ip), at);
    }
    return [...byKey.values()];
  }

  /** Bound to the user and the kind: equal values of two users are unrelated in the table. */
  private hmac(userId: string, kind: FingerprintKind, value: string): string {
    return this.secrets.hmac(value, `login-fingerprint:${kind}:${userId}`);
  }
}
