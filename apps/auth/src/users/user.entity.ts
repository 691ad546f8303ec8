import { Column, CreateDateColumn, Entity, OneToMany, PrimaryColumn, UpdateDateColumn } from 'typeorm';
import { Language } from '@app/contracts';
// A type only: the membership entity (tenants) names User, and the relation is resolved by name.
import type { Membership } from '../tenants/membership.entity';

/** An account. Users are never deleted, only disabled (AUTH-4). */
@Entity({ name: 'app_user' })
export class User {
  @PrimaryColumn('uuid')
  id!: string;

  /** The login ID as the admin wrote it (AUTH-1). */
  @Column({ name: 'user_id' })
  userId!: string;

  /** `normalizeUserId(userId)`: unique, and the key of lockout and reset counters (AUTH-3). */
  @Column({ name: 'user_id_key', unique: true })
  userIdKey!: string;

  @Column()
  email!: string;

  @Column({ name: 'family_name' })
  familyName!: string;

  @Column({ name: 'given_name', type: 'text', nullable: true })
  givenName!: string | null;

  /** E.164; null when no phone is registered (then SMS is unavailable, AUTH-6). */
  @Column({ type: 'text', nullable: true })
  phone!: string | null;

  /** Another phone for contact (AUTH-21); never used for codes. */
  @Column({ name: 'office_phone', type: 'text', nullable: true })
  officePhone!: string | null;

  /** How the user is shown in the portal (AUTH-20); the names stay as the admin registered them. */
  @Column({ name: 'display_name', type: 'text', nullable: true })
  displayName!: string | null;

  @Column({ type: 'text', nullable: true })
  title!: string | null;

  /**
   * Set when SMS codes were switched off automatically: the phone line was cancelled or the phone
   * removed (AUTH-19). SMS is unavailable while set; registering a phone again clears it.
   */
  @Column({ name: 'sms_disabled_at', type: 'timestamptz', nullable: true })
  smsDisabledAt!: Date | null;

  @Column({ name: 'sms_disabled_reason', type: 'text', nullable: true })
  smsDisabledReason!: string | null;

  @Column({ type: 'text', default: 'ja' })
  language!: Language;

  @Column({ default: 'Asia/Tokyo' })
  timezone!: string;

  /** argon2id PHC string; null until the user sets a password through the reset flow (AUTH-14). */
  @Column({ name: 'password_hash', type: 'text', nullable: true })
  passwordHash!: string | null;

  @Column({ name: 'is_operator', default: false })
  isOperator!: boolean;

  @Column({ name: 'mfa_required', default: false })
  mfaRequired!: boolean;

  @Column({ name: 'login_disabled', default: false })
  loginDisabled!: boolean;

  /** Set by a hard bounce (NOTIF-6): codes by e-mail fail with `email_unavailable`. */
  @Column({ name: 'email_undeliverable', default: false })
  emailUndeliverable!: boolean;

  /** Bumped by password reset, MFA reset and "log out everywhere"; trusted browsers carry it (AUTH-9). */
  @Column({ name: 'credential_version', default: 1 })
  credentialVersion!: number;

  @OneToMany('Membership', (m: Membership) => m.user)
  memberships?: Membership[];

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt!: Date;
}
