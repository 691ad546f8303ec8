import { MigrationInterface, QueryRunner } from 'typeorm';

export class AdminUserManagement1763769600010 implements MigrationInterface {
  name = 'AdminUserManagement1763769600010';

  async up(_q: QueryRunner): Promise<void> {}

  async down(_q: QueryRunner): Promise<void> {}
}
