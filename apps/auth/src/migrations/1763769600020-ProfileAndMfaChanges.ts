import { MigrationInterface, QueryRunner } from 'typeorm';

export class ProfileAndMfaChanges1763769600020 implements MigrationInterface {
  name = 'ProfileAndMfaChanges1763769600020';

  async up(_q: QueryRunner): Promise<void> {}

  async down(_q: QueryRunner): Promise<void> {}
}
