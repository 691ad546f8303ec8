import { Column, CreateDateColumn, Entity, PrimaryColumn } from 'typeorm';

/** A customer, known by its customer number (e.g. N202400003). */
@Entity({ name: 'tenant' })
export class Tenant {
  @PrimaryColumn()
  number!: string;

  @Column()
  name!: string;

  /** AUTH-5: a tenant may require the second step of everyone. */
  @Column({ name: 'mfa_always', default: false })
  mfaAlways!: boolean;

  /**
   * AUTH-9: how long a browser trusted by a user of this tenant skips the second step (at most 90
   * days); null means the platform default (TRUSTED_BROWSER_TTL_SECONDS).
   */
  @Column({ name: 'trusted_browser_ttl_seconds', type: 'integer', nullable: true })
  trustedBrowserTtlSeconds!: number | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;
}
