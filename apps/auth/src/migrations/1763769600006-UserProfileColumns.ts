import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Account fields of the admin's user form and the profile (AUTH-20, AUTH-21), and the automatic
 * SMS switch-off (AUTH-19).
 */
export class UserProfileColumns1763769600006 implements MigrationInterface {
  name = 'UserProfileColumns1763769600006';

  async up(q: QueryRunner): Promise<void> {
    await q.query(
      `ALTER TABLE auth.app_user
         ADD COLUMN display_name text,
         ADD COLUMN title text,
         ADD COLUMN office_phone text,
         ADD COLUMN sms_disabled_at timestamptz,
         ADD COLUMN sms_disabled_reason text`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(
      `ALTER TABLE auth.app_user DROP COLUMN display_name, DROP COLUMN title, DROP COLUMN office_phone,
         DROP COLUMN sms_disabled_at, DROP COLUMN sms_disabled_reason`,
    );
  }
}
