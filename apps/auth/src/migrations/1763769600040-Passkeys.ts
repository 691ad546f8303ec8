import { MigrationInterface, QueryRunner } from 'typeorm';

export class Passkeys1763769600040 implements MigrationInterface {
  name = 'Passkeys1763769600040';

  async up(_q: QueryRunner): Promise<void> {}

  async down(_q: QueryRunner): Promise<void> {}
}
