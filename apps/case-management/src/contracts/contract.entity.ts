import { Column, Entity, PrimaryColumn } from 'typeorm';

/**
 * A tenant's contract for one service (CASE-1), keyed by the tenant's customer number: the tenant
 * itself is the auth service's. One contract per tenant and service.
 */
@Entity({ name: 'contract' })
export class Contract {
  @PrimaryColumn('uuid')
  id!: string;

  @Column({ name: 'tenant_number' })
  tenantNumber!: string;

  /** The tenant's name when the contract was made, shown as the contractor on its cases. */
  @Column()
  contractor!: string;

  @Column({ name: 'service_code' })
  serviceCode!: string;

  /** `YYYY-MM-DD`. */
  @Column({ name: 'start_date', type: 'date' })
  startDate!: string;

  @Column({ name: 'licence_type', type: 'text', nullable: true })
  licenceType!: string | null;

  @Column({ name: 'id_count', type: 'integer', nullable: true })
  idCount!: number | null;

  @Column({ type: 'jsonb' })
  settings!: Record<string, unknown>;

  @Column({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  @Column({ name: 'updated_at', type: 'timestamptz' })
  updatedAt!: Date;
}
