import { Column, Entity, PrimaryColumn } from 'typeorm';
import { WorkRequestFieldType } from '@app/contracts';

/** One field of an item's form, as kept in `work_request_item.fields` and `work_request.form`. */
export interface FormField {
  key: string;
  label: { ja: string; en: string };
  type: WorkRequestFieldType;
  required: boolean;
  options?: { value: string; label: { ja: string; en: string } }[];
}

/** A numbered item of the work request catalogue (CASE-7) with its form. */
@Entity({ name: 'work_request_item' })
export class WorkRequestItem {
  @PrimaryColumn('uuid')
  id!: string;

  /** The item's number, e.g. `WR-001`; the catalogue is listed in its order. */
  @Column()
  code!: string;

  @Column({ name: 'name_ja' })
  nameJa!: string;

  @Column({ name: 'name_en' })
  nameEn!: string;

  @Column({ name: 'description_ja' })
  descriptionJa!: string;

  @Column({ name: 'description_en' })
  descriptionEn!: string;

  /** The service the work is for: only tenants contracting it see the item; its cases are in it. */
  @Column({ name: 'service_code' })
  serviceCode!: string;

  @Column({ type: 'jsonb' })
  fields!: FormField[];

  /** False: withdrawn from the catalogue; requests already made keep their copy of it. */
  @Column()
  active!: boolean;

  @Column({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  @Column({ name: 'updated_at', type: 'timestamptz' })
  updatedAt!: Date;
}
