import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Tenant admin user management (AUTH-7, AUTH-21): the notification address an admin sets for a user
 * in their tenant, kept on the membership because it belongs to that tenant, not to the account.
 */
export class AdminUserManagement1763769600010 implements MigrationInterface {
  name = 'AdminUserManagement1763769600010';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE auth.membership ADD COLUMN notification_email text`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE auth.membership DROP COLUMN notification_email`);
  }
}
