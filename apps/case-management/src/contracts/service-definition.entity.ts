import { Column, Entity, PrimaryColumn } from 'typeorm';

/** A service the provider offers and tenants contract (CASE-1), with its own settings fields. */
@Entity({ name: 'service' })
export class ServiceDefinition {
  @PrimaryColumn()
  code!: string;

  @Column({ name: 'name_ja' })
  nameJa!: string;

  @Column({ name: 'name_en' })
  nameEn!: string;

  /** `{fields:[{key, label:{ja,en}, type}]}`: what the service's contract settings mean. */
  @Column({ name: 'settings_schema', type: 'jsonb', nullable: true })
  settingsSchema!: Record<string, unknown> | null;

  @Column({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;
}
