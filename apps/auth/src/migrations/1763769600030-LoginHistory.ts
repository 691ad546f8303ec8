import { MigrationInterface, QueryRunner } from 'typeorm';

export class LoginHistory1763769600030 implements MigrationInterface {
  name = 'LoginHistory1763769600030';

  async up(_q: QueryRunner): Promise<void> {}

  async down(_q: QueryRunner): Promise<void> {}
}
