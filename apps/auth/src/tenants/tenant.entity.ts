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

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;
}
