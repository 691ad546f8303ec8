import { Column, CreateDateColumn, Entity, JoinColumn, ManyToOne, PrimaryColumn, Relation } from 'typeorm';
import { User } from '../users/user.entity';
import { Tenant } from './tenant.entity';

/** A user's role in one tenant; a user may belong to several (AUTH-18). */
@Entity({ name: 'membership' })
export class Membership {
  @PrimaryColumn('uuid', { name: 'user_id' })
  userId!: string;

  @PrimaryColumn({ name: 'tenant_number' })
  tenantNumber!: string;

  @Column({ type: 'text' })
  role!: 'admin' | 'user';

  /**
   * AUTH-7: where this tenant's admin wants the user's security codes sent. When set, e-mail codes go
   * to this address only; null means every contact address of the account.
   */
  @Column({ name: 'notification_email', type: 'text', nullable: true })
  notificationEmail!: string | null;

  @ManyToOne(() => User, (u) => u.memberships)
  @JoinColumn({ name: 'user_id' })
  // Relation<> keeps decorator metadata from naming User eagerly: user.entity imports this file, and
  // under SWC a direct reference reads User before it is initialised when user.entity loads first.
  user?: Relation<User>;

  @ManyToOne(() => Tenant)
  @JoinColumn({ name: 'tenant_number' })
  tenant?: Tenant;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;
}
