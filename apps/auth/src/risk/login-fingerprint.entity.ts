import { Column, Entity, PrimaryColumn } from 'typeorm';

/** What the risk check compares a login with (AUTH-11). */
export type FingerprintKind = 'device' | 'network';

/**
 * A device (normalised user agent) or network (IPv4 /24, IPv6 /48) a user has logged in from, as a
 * keyed HMAC bound to the user: no raw address or user agent is kept a second time, and the same
 * network of two users gives two unrelated values.
 */
@Entity({ name: 'login_fingerprint' })
export class LoginFingerprint {
  @PrimaryColumn('uuid', { name: 'user_id' })
  userId!: string;

  @PrimaryColumn({ type: 'text' })
  kind!: FingerprintKind;

  @PrimaryColumn({ name: 'value_hmac', type: 'text' })
  valueHmac!: string;

  @Column({ name: 'first_seen', type: 'timestamptz' })
  firstSeen!: Date;

  @Column({ name: 'last_seen', type: 'timestamptz' })
  lastSeen!: Date;
}
