import { MigrationInterface, QueryRunner } from 'typeorm';
import { createOutboxTableSql } from '@app/database';

export class CreateAuthSchema1763769600000 implements MigrationInterface {
  name = 'CreateAuthSchema1763769600000';

  async up(q: QueryRunner): Promise<void> {
    const statements = [
      `CREATE TABLE auth.tenant (
         number text PRIMARY KEY,
         name text NOT NULL,
         mfa_always boolean NOT NULL DEFAULT false,
         created_at timestamptz NOT NULL DEFAULT now())`,
      `CREATE TABLE auth.app_user (
         id uuid PRIMARY KEY,
         user_id text NOT NULL,
         user_id_key text NOT NULL UNIQUE,
         email text NOT NULL,
         family_name text NOT NULL,
         given_name text,
         phone text,
         language text NOT NULL DEFAULT 'ja' CHECK (language IN ('ja', 'en')),
         timezone text NOT NULL DEFAULT 'Asia/Tokyo',
         password_hash text,
         is_operator boolean NOT NULL DEFAULT false,
         mfa_required boolean NOT NULL DEFAULT false,
         login_disabled boolean NOT NULL DEFAULT false,
         email_undeliverable boolean NOT NULL DEFAULT false,
         credential_version integer NOT NULL DEFAULT 1,
         created_at timestamptz NOT NULL DEFAULT now(),
         updated_at timestamptz NOT NULL DEFAULT now())`,
      `CREATE TABLE auth.membership (
         user_id uuid NOT NULL REFERENCES auth.app_user(id),
         tenant_number text NOT NULL REFERENCES auth.tenant(number),
         role text NOT NULL CHECK (role IN ('admin', 'user')),
         created_at timestamptz NOT NULL DEFAULT now(),
         PRIMARY KEY (user_id, tenant_number))`,
      `CREATE INDEX membership_tenant_idx ON auth.membership (tenant_number)`,
      `CREATE TABLE auth.login_throttle (
         key text PRIMARY KEY,
         failures integer NOT NULL DEFAULT 0,
         code_failures integer NOT NULL DEFAULT 0,
         locked_until timestamptz)`,
      `CREATE TABLE auth.login_flow (
         id uuid PRIMARY KEY,
         user_id uuid NOT NULL REFERENCES auth.app_user(id),
         purpose text NOT NULL CHECK (purpose IN ('login', 'step_up')),
         status text NOT NULL DEFAULT 'pending',
         session_id uuid,
         ip text,
         user_agent text,
         created_at timestamptz NOT NULL DEFAULT now(),
         expires_at timestamptz NOT NULL,
         completed_at timestamptz)`,
      `CREATE INDEX login_flow_user_idx ON auth.login_flow (user_id)`,
      `CREATE TABLE auth.security_code (
         id uuid PRIMARY KEY,
         flow_id uuid NOT NULL REFERENCES auth.login_flow(id),
         channel text NOT NULL CHECK (channel IN ('sms', 'email')),
         code_hmac text NOT NULL,
         created_at timestamptz NOT NULL,
         expires_at timestamptz NOT NULL,
         attempts_left integer NOT NULL,
         consumed_at timestamptz,
         voided_at timestamptz)`,
      `CREATE INDEX security_code_flow_idx ON auth.security_code (flow_id, created_at DESC)`,
      `CREATE TABLE auth.session (
         id uuid PRIMARY KEY,
         user_id uuid NOT NULL REFERENCES auth.app_user(id),
         active_tenant text,
         created_at timestamptz NOT NULL,
         last_seen_at timestamptz NOT NULL,
         expires_at timestamptz NOT NULL,
         second_factor_at timestamptz,
         revoked_at timestamptz,
         revoke_reason text,
         ip text,
         user_agent text)`,
      `CREATE INDEX session_user_idx ON auth.session (user_id)`,
      `CREATE TABLE auth.refresh_token (
         id uuid PRIMARY KEY,
         session_id uuid NOT NULL REFERENCES auth.session(id),
         token_hmac text NOT NULL UNIQUE,
         created_at timestamptz NOT NULL,
         used_at timestamptz)`,
      `CREATE INDEX refresh_token_session_idx ON auth.refresh_token (session_id)`,
      `CREATE TABLE auth.password_reset_token (
         id uuid PRIMARY KEY,
         user_id uuid NOT NULL REFERENCES auth.app_user(id),
         token_hmac text NOT NULL UNIQUE,
         created_at timestamptz NOT NULL,
         expires_at timestamptz NOT NULL,
         used_at timestamptz)`,
      `CREATE INDEX password_reset_token_user_idx ON auth.password_reset_token (user_id)`,
      `CREATE TABLE auth.password_reset_guard (
         key text PRIMARY KEY,
         mismatches integer NOT NULL DEFAULT 0,
         blocked_until timestamptz,
         last_completed_at timestamptz)`,
      ...createOutboxTableSql('auth'),
    ];
    for (const sql of statements) {
      await q.query(sql);
    }
  }

  async down(q: QueryRunner): Promise<void> {
    for (const table of [
      'outbox',
      'password_reset_guard',
      'password_reset_token',
      'refresh_token',
      'session',
      'security_code',
      'login_flow',
      'login_throttle',
      'membership',
      'app_user',
      'tenant',
    ]) {
      await q.query(`DROP TABLE auth.${table}`);
    }
  }
}
