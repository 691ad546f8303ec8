import { Column, Entity, PrimaryColumn } from 'typeorm';

/** A user of the case's tenant copied on it (CASE-2). */
@Entity({ name: 'case_watcher' })
export class CaseWatcher {
  @PrimaryColumn('uuid', { name: 'case_id' })
  caseId!: string;

  @PrimaryColumn('uuid', { name: 'user_id' })
  userId!: string;

  @Column()
  name!: string;
}
