import { MigrationInterface, QueryRunner } from 'typeorm';

export class TotpAndPush1763769600060 implements MigrationInterface {
  name = 'TotpAndPush1763769600060';

  async up(_q: QueryRunner): Promise<void> {}

  async down(_q: QueryRunner): Promise<void> {}
}
