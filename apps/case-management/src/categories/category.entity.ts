import { Column, Entity, PrimaryColumn } from 'typeorm';

/** A case category (CASE-3); customers may open cases only in the customer-selectable ones. */
@Entity({ name: 'category' })
export class Category {
  @PrimaryColumn()
  code!: string;

  @Column({ name: 'label_ja' })
  labelJa!: string;

  @Column({ name: 'label_en' })
  labelEn!: string;

  @Column({ name: 'customer_selectable' })
  customerSelectable!: boolean;
}
