import { MigrationInterface, QueryRunner } from 'typeorm';

export class TrustedBrowsersAndRisk1763769600050 implements MigrationInterface {
  name = 'TrustedBrowsersAndRisk1763769600050';

  async up(_q: QueryRunner): Promise<void> {}

  async down(_q: QueryRunner): Promise<void> {}
}
