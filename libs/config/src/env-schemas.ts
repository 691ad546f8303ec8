import fs from 'node:fs';
import { z } from 'zod';
import { parseSigningKeys } from './signing-keys';
import { parseTrustProxy } from './trust-proxy';

const port = (fallback: number) => z.coerce.number().int().min(0).max(65535).default(fallback);
const seconds = (fallback: number) => z.coerce.number().int().positive().default(fallback);
const url = (protocols: string[]) =>
  z.string().refine(
    (v) => {
      try {
        return protocols.includes(new URL(v).protocol);
      } catch {
        return false;
      }
    },
    `it must be a URL starting with ${protocols.map((p) => `${p}//`).join(' or ')}`,
  );
/** A secret of at least 32 characters; its value is never printed (see SECRET_NAMES). */
const secret = z.string().min(32, 'it must be at least 32 characters long');

/** ACCESS_TOKEN_SIGNING_KEYS: kept as given, checked at boot (JSON, EC P-256 private JWKs, kids). */
const signingKeys = z.string().superRefine((value, ctx) => {
  try {
    parseSigningKeys(value);
  } catch (error) {
    ctx.addIssue({ code: 'custom', message: (error as Error).message });
  }
});
/** A file that must exist and be readable when named (credentials, certificates). */
const readableFile = z
  .string()
  .min(1)
  .refine((file) => {
    try {
      fs.accessSync(file, fs.constants.R_OK);
      return true;
    } catch {
      return false;
    }
  }, 'it must name a readable file');

/** Names whose values are masked in every message. */
export const SECRET_NAMES = new Set([
  'ACCESS_TOKEN_SIGNING_KEYS',
  'NATS_PASSWORD',
  'TOKEN_HMAC_SECRET',
  'DATA_ENCRYPTION_KEY',
  'SMTP_URL',
  'INTEGRATION_API_KEY',
  // URLs that may carry a password or an API key in their user info or query.
  'DATABASE_URL',
  'REDIS_URL',
  'NATS_URL',
  'SMS_WEBHOOK_URL',
  'SMS_WEBHOOK_AUTH_HEADER',
  'RECIPIENT_HASH_SECRET',
  'TWILIO_AUTH_TOKEN',
  'BOUNCE_IMAP_URL',
  'BOUNCE_IMAP_PASSWORD',
  'AUDIT_DATABASE_URL',
  'AUDIT_SIGNING_KEY',
  'ATTACHMENT_S3_SECRET_ACCESS_KEY',
  'AUDIT_INGEST_NATS_PASSWORD',
  'DKIM_PRIVATE_KEY',
]);

export const baseEnvSchema = z.object({
  NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  DATABASE_URL: url(['postgres:', 'postgresql:']).default('postgres://postgres@127.0.0.1:5432/mamori'),
  REDIS_URL: url(['redis:', 'rediss:']).default('redis://127.0.0.1:6379'),
  /** May carry credentials (`nats://user:password@host:4222`); messages never show the password. */
  NATS_URL: url(['nats:', 'tls:']).default('nats://127.0.0.1:4222'),
  /** This service's NATS user and password (each service has its own, with its own permissions). */
  NATS_USER: z.string().min(1).optional(),
  NATS_PASSWORD: z.string().min(1).optional(),
  /** A NATS credentials file (user JWT and NKey seed) for a NATS run in operator/JWT mode. */
  NATS_CREDS: readableFile.optional(),
  /** TLS towards NATS: the CA that signed the server's certificate, and a client certificate and key. */
  NATS_TLS_CA: readableFile.optional(),
  NATS_TLS_CERT: readableFile.optional(),
  NATS_TLS_KEY: readableFile.optional(),
  /** Prefix of every Redis key (BullMQ queues, revocation marks), so several platforms can share one Redis. */
  REDIS_PREFIX: z
    .string()
    .regex(/^[a-z0-9_-]{1,32}$/)
    .default('mamori'),
  /** Health and metrics port of a back-end service; 0 picks a free port (two replicas on one host). */
  HTTP_PORT: port(0),
  NATS_REQUEST_TIMEOUT_MS: z.coerce.number().int().positive().default(10_000),
  /**
   * The AUDIT stream, reconciled by every service at start (give every service the same values):
   * replicas (1, 3 or 5 on a NATS cluster), a cap on its size in bytes (-1 none; the oldest
   * messages go first, so alert on the audit consumer's lag), how long messages are kept and the
   * largest message it takes.
   */
  AUDIT_STREAM_REPLICAS: z.coerce.number().int().min(1).max(5).default(1),
  AUDIT_STREAM_MAX_BYTES: z.coerce.number().int().min(-1).default(-1),
  AUDIT_STREAM_MAX_AGE_DAYS: z.coerce.number().int().positive().default(400),
  AUDIT_STREAM_MAX_MSG_BYTES: z.coerce
    .number()
    .int()
    .min(1024)
    .default(1024 * 1024),
  /** Publish attempts JetStream may refuse before an outbox row is parked (kept, no longer retried). */
  OUTBOX_MAX_ATTEMPTS: z.coerce.number().int().min(1).max(1000).default(10),
  /**
   * How long the outbox relay, woken right after a pass (busy), waits for more rows so that one pass
   * takes them together; a wake-up after a quiet spell is answered at once. 0: never waits.
   */
  OUTBOX_BATCH_WINDOW_MS: z.coerce.number().int().min(0).max(1000).default(20),
  /**
   * How long a process may take to stop after SIGTERM: it stops taking work, finishes what it holds,
   * then exits; past this it exits anyway. Below an orchestrator's own grace (Kubernetes: 30 s).
   */
  SHUTDOWN_GRACE_SECONDS: seconds(20),
  /**
   * Whether a service migrates its own schema at start (`true`) or waits for the migrate command
   * to have done it (`false`). Unset: `true` outside production, `false` in production.
   */
  MIGRATE_AT_BOOT: z.enum(['true', 'false']).optional(),
  /** How long a service waits at start for its schema's migrations before giving up. */
  SCHEMA_WAIT_SECONDS: seconds(600),
  /** `lock_timeout` of migration statements, so a DDL never queues every query behind it for long. */
  MIGRATION_LOCK_TIMEOUT_MS: z.coerce.number().int().positive().default(10_000),
});

/** Whether this process migrates its schema at start (MIGRATE_AT_BOOT, else outside production). */
export function migratesAtBoot(env: { MIGRATE_AT_BOOT?: 'true' | 'false'; NODE_ENV: string }): boolean {
  return env.MIGRATE_AT_BOOT === undefined ? env.NODE_ENV !== 'production' : env.MIGRATE_AT_BOOT === 'true';
}

/**
 * Where attachment bytes live (CASE-6), read by the gateway (which writes and reads them) and the case
 * service (which sweeps orphans): `local`, a directory both reach (a shared volume when they run on
 * different hosts), or `s3`, any S3-compatible object store.
 */
const attachmentStoreEnv = {
  ATTACHMENT_STORE: z.enum(['local', 's3']).default('local'),
  ATTACHMENT_DIR: z.string().min(1).default('.mamori/attachments'),
  /** An S3-compatible endpoint (`https://…`); unset: the AWS endpoint of ATTACHMENT_S3_REGION. */
  ATTACHMENT_S3_ENDPOINT: url(['http:', 'https:']).optional(),
  ATTACHMENT_S3_REGION: z.string().min(1).default('us-east-1'),
  ATTACHMENT_S3_BUCKET: z
    .string()
    .regex(/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/, 'it must be an S3 bucket name')
    .optional(),
  /** Unset: the SDK's usual credential chain (instance role, AWS_* variables, profile). */
  ATTACHMENT_S3_ACCESS_KEY_ID: z.string().min(1).optional(),
  ATTACHMENT_S3_SECRET_ACCESS_KEY: z.string().min(1).optional(),
  /** Path-style addressing (`endpoint/bucket/key`), which most S3-compatible servers need. */
  ATTACHMENT_S3_FORCE_PATH_STYLE: z.enum(['true', 'false']).default('false'),
};

export const gatewayEnvSchema = baseEnvSchema.extend({
  ...attachmentStoreEnv,
  /** Largest attachment in bytes (CASE-6: 2 GiB); the upload is cut off with 413 past it. */
  ATTACHMENT_MAX_BYTES: z.coerce
    .number()
    .int()
    .positive()
    .default(2 * 1024 * 1024 * 1024),
  /**
   * Comma-separated media types (or `type/*`) an attachment may have, as sniffed from its bytes; `*`:
   * any type not denied. Denied types win.
   */
  ATTACHMENT_TYPES_ALLOWED: z.string().min(1).default('*'),
  /** Comma-separated media types (or `type/*`) always refused: programs a double-click would run. */
  ATTACHMENT_TYPES_DENIED: z
    .string()
    .default(
      'application/x-msdownload,application/x-elf,application/x-mach-binary,application/x-msi,' +
        'application/java-archive,application/vnd.microsoft.portable-executable,application/x-sharedlib,' +
        'application/x-executable,application/x-apple-diskimage,text/x-shellscript',
    ),
  PORT: port(3000),
  CORS_ORIGINS: z.string().default(''),
  /**
   * The built portal (apps/portal, `npm run build` writes dist/portal) served at `/`; unset: the
   * dist/portal beside the gateway's build. A folder without index.html serves nothing.
   */
  PORTAL_DIR: z.string().optional(),
  /**
   * Deprecated: the old single budget. When set, it stands for every RATE_LIMIT_* below that is not
   * set itself (and the gateway warns at start).
   */
  RATE_LIMIT_PER_MINUTE: z.coerce.number().int().positive().optional(),
  /** The proxies in front of the gateway: a hop count or a list of addresses/CIDR ranges (see trust-proxy.ts). */
  TRUST_PROXY: z
    .string()
    .default('loopback')
    .refine(
      (v) => parseTrustProxy(v) !== undefined,
      'it must be a hop count (0-32) or a comma-separated list of IP addresses, CIDR ranges (not /0) and loopback, linklocal, uniquelocal',
    ),
  /** Rate limits (GW-1), per minute, sliding window, shared by every replica through Redis. */
  RATE_LIMIT_CREDENTIAL_ACCOUNT_PER_MINUTE: z.coerce.number().int().positive().optional(),
  RATE_LIMIT_CREDENTIAL_ADDRESS_PER_MINUTE: z.coerce.number().int().positive().optional(),
  RATE_LIMIT_SESSION_PER_MINUTE: z.coerce.number().int().positive().optional(),
  RATE_LIMIT_USER_PER_MINUTE: z.coerce.number().int().positive().optional(),
  RATE_LIMIT_ANONYMOUS_ADDRESS_PER_MINUTE: z.coerce.number().int().positive().optional(),
  RATE_LIMIT_INTEGRATION_KEY_PER_MINUTE: z.coerce.number().int().positive().optional(),
  /** `GET /api/v1/dev/outbox` exists only when `true` (and never with NODE_ENV=production). */
  DEV_OUTBOX: z.enum(['true', 'false']).default('false'),
  /** Port of the gateway's own metrics server (`/metrics`); 0 picks a free port. Never the public port. */
  METRICS_PORT: port(0),
  /**
   * How long the gateway keeps what checks an integration's API key (its hash, scopes, tenants) in
   * Redis, so alerts are still taken while the case service is down (CASE-9). A revocation through
   * the gateway replaces the copy at once; this bounds only a copy nothing replaced.
   */
  INTEGRATION_KEY_CACHE_SECONDS: z.coerce.number().int().min(1).max(2_592_000).default(604_800),
});

export const authEnvSchema = baseEnvSchema.extend({
  HTTP_PORT: port(3001),
  /**
   * Private keys that sign access tokens (ES256): a JSON array of EC P-256 JWKs with a `kid`. The
   * first signs; all are published, so during a rotation tokens of the older key stay valid.
   */
  ACCESS_TOKEN_SIGNING_KEYS: signingKeys,
  /** Key for the HMAC of security codes and tokens at rest. */
  TOKEN_HMAC_SECRET: secret,
  PUBLIC_URL: url(['http:', 'https:']).default('http://localhost:3000'),
  PASSWORD_POLICY: z.enum(['portal', 'asvs']).default('portal'),
  ACCESS_TOKEN_TTL_SECONDS: seconds(15 * 60),
  SESSION_IDLE_SECONDS: seconds(30 * 60),
  SESSION_ABSOLUTE_SECONDS: seconds(12 * 60 * 60),
  CODE_TTL_SMS_SECONDS: seconds(10 * 60),
  CODE_TTL_EMAIL_SECONDS: seconds(5 * 60),
  CODE_MAX_ATTEMPTS: z.coerce.number().int().min(1).max(10).default(3),
  CODE_RESEND_AFTER_SECONDS: seconds(30),
  LOGIN_FLOW_TTL_SECONDS: seconds(15 * 60),
  /** Key (32+ characters) from which the AES-256-GCM key for secrets at rest is derived (TOTP secrets, AUTH-8). */
  DATA_ENCRYPTION_KEY: secret,
  /** How recent a second step must be for a sensitive operation (AUTH-12). */
  STEP_UP_WINDOW_SECONDS: seconds(10 * 60),
  /** Default trust of a trusted browser; a tenant may allow up to 90 days (AUTH-9). */
  TRUSTED_BROWSER_TTL_SECONDS: seconds(8 * 60 * 60),
  /** Life of an app approval request (AUTH-13). */
  PUSH_APPROVAL_TTL_SECONDS: seconds(2 * 60),
  /** WebAuthn relying party (AUTH-10): its id (the site's host name), display name and the allowed origins. */
  WEBAUTHN_RP_ID: z.string().min(1).default('localhost'),
  WEBAUTHN_RP_NAME: z.string().min(1).default('Mamori'),
  /** Comma-separated origins the browser may report, e.g. `https://portal.example.com`. */
  WEBAUTHN_ORIGINS: z.string().min(1).default('http://localhost:3000'),
  /** NOTIF-7: the window over which every send cap below counts, sliding. */
  SEND_CAP_WINDOW_SECONDS: seconds(15 * 60),
  /** NOTIF-7: security codes per phone number and per e-mail address within the window. */
  SEND_CAP_PER_RECIPIENT: z.coerce.number().int().positive().default(5),
  /** NOTIF-7: security codes per account within the window, across all its login and step-up flows. */
  SEND_CAP_PER_ACCOUNT: z.coerce.number().int().positive().default(10),
  /** NOTIF-7: password reset e-mails per account and per address within the window. */
  SEND_CAP_RESET_MAILS: z.coerce.number().int().positive().default(3),
  /** NOTIF-7 / push fatigue: app approval requests of one user open at once (AUTH-13). */
  PUSH_OPEN_REQUESTS_CAP: z.coerce.number().int().positive().default(3),
  /**
   * How long a refresh token that was just rotated still answers the same client with the same
   * successor (two tabs refreshing at once); 0 turns the grace off. Past it, a reuse ends the session.
   */
  REFRESH_REUSE_GRACE_SECONDS: z.coerce.number().int().min(0).max(60).default(10),
  /**
   * AUTH-11: the local hours (in each user's own time zone) at which a login counts as at an unusual
   * hour, `from-to` with `to` exclusive (`22-6` wraps past midnight), or `off` for a deployment whose
   * users work around the clock. The signal is a hint (weight 1): alone it asks for nothing.
   */
  RISK_UNUSUAL_HOURS: z
    .string()
    .regex(
      /^(off|([01]?\d|2[0-3])-([01]?\d|2[0-4]))$/,
      'it must be `off` or `from-to` in whole hours, e.g. `0-5`',
    )
    .default('0-5'),
  /** How often each replica prunes rows that anonymous calls leave behind; 0 turns it off. */
  PRUNE_INTERVAL_SECONDS: z.coerce
    .number()
    .int()
    .min(0)
    .default(5 * 60),
  /**
   * NOTIF-6: the notification service's RECIPIENT_HASH_SECRET (the same value): a bounce names the
   * address only by its keyed hash, which auth compares with the user's address.
   */
  RECIPIENT_HASH_SECRET: secret.optional(),
});

export const notificationEnvSchema = baseEnvSchema.extend({
  HTTP_PORT: port(3002),
  SMTP_URL: url(['smtp:', 'smtps:']).optional(),
  MAIL_FROM: z.string().default('Security Advisory Center <noreply@mamori.local>'),
  SMS_PROVIDER: z.enum(['outbox', 'webhook', 'twilio']).default('outbox'),
  SMS_WEBHOOK_URL: url(['http:', 'https:']).optional(),
  /** Upper bound of a retry delay, in milliseconds (NOTIF-4). */
  RETRY_MAX_DELAY_MS: z.coerce.number().int().positive().default(60_000),
  RETRY_ATTEMPTS: z.coerce.number().int().min(1).max(20).default(6),
  /** SMTP over STARTTLS is required (a stripped STARTTLS fails the send); `false` only for a local relay. */
  SMTP_REQUIRE_TLS: z.enum(['true', 'false']).default('true'),
  /** Sent as the webhook's `Authorization` header (e.g. `Bearer …`), so no key travels in the URL. */
  SMS_WEBHOOK_AUTH_HEADER: z.string().min(1).optional(),
  /** `true` lets SMS_WEBHOOK_URL be plain http to a host other than the loopback (never in production). */
  SMS_WEBHOOK_ALLOW_HTTP: z.enum(['true', 'false']).default('false'),
  /** Keys the HMAC of recipients kept with delivery records; unset: unkeyed SHA-256 (development). */
  RECIPIENT_HASH_SECRET: secret.optional(),
  /** The portal's address, as auth's PUBLIC_URL: a reset link in a job must be `<PUBLIC_URL>/password-reset/<token>`. */
  PUBLIC_URL: url(['http:', 'https:']).default('http://localhost:3000'),
  /** How often each replica looks for message records left `queued` (a dead worker, a lost job); 0 off. */
  SWEEP_INTERVAL_SECONDS: z.coerce.number().int().min(0).default(60),
  /** SMS_PROVIDER=twilio: the account (`AC…`) whose Programmable Messaging API sends the SMS. */
  TWILIO_ACCOUNT_SID: z
    .string()
    .regex(/^AC[0-9a-fA-F]{32}$/, 'it must be an account SID (AC followed by 32 hex digits)')
    .optional(),
  /** The account's auth token: the API's password and the key of its callbacks' signatures. */
  TWILIO_AUTH_TOKEN: secret.optional(),
  /** The sending number (E.164) or alphanumeric sender; or TWILIO_MESSAGING_SERVICE_SID instead. */
  TWILIO_FROM: z.string().min(1).max(32).optional(),
  /** A Messaging Service (`MG…`) that picks the sender; wins over TWILIO_FROM. */
  TWILIO_MESSAGING_SERVICE_SID: z
    .string()
    .regex(/^MG[0-9a-fA-F]{32}$/, 'it must be a messaging service SID (MG followed by 32 hex digits)')
    .optional(),
  /** The API's address; https only, except a loopback address (a local test server). */
  TWILIO_BASE_URL: url(['http:', 'https:']).default('https://api.twilio.com'),
  /**
   * Where Twilio posts delivery receipts: the gateway's `/api/v1/integrations/sms-status/twilio` as
   * the outside world reaches it (signatures cover this exact URL). Unset: PUBLIC_URL + that path.
   */
  TWILIO_STATUS_CALLBACK_URL: url(['http:', 'https:']).optional(),
  /** Unreachable-provider failures in a row after which that provider's queue pauses (0: never). */
  PROVIDER_PAUSE_AFTER_FAILURES: z.coerce.number().int().min(0).default(5),
  /** While a provider's queue is paused, one message tries it this often. */
  PROVIDER_PROBE_INTERVAL_MS: z.coerce.number().int().min(100).default(10_000),
  /**
   * NOTIF-6: the envelope sender of every e-mail, with the message id added VERP-style
   * (`bounces@example.com` → `bounces+<messageId>@example.com`), so bounces come back to a mailbox
   * that names their message. Unset: the address of MAIL_FROM, without VERP.
   */
  BOUNCE_ADDRESS: z
    .string()
    .regex(/^[^\s@<>+]+@[^\s@<>]+$/, 'it must be a plain address without a +')
    .optional(),
  /** NOTIF-6: days of soft bounces (mailbox full, server busy) for one address after which it counts as hard. */
  BOUNCE_SOFT_DAYS: z.coerce.number().int().min(1).max(365).default(3),
  /**
   * NOTIF-6: the bounce mailbox, read over IMAP (`imaps://user:password@host:993/INBOX`, `imap://` for
   * STARTTLS or a local server); or give BOUNCE_IMAP_HOST with the settings below. Unset: not read.
   */
  BOUNCE_IMAP_URL: url(['imap:', 'imaps:']).optional(),
  BOUNCE_IMAP_HOST: z.string().min(1).optional(),
  BOUNCE_IMAP_PORT: z.coerce.number().int().min(1).max(65535).optional(),
  BOUNCE_IMAP_USER: z.string().min(1).optional(),
  BOUNCE_IMAP_PASSWORD: z.string().min(1).optional(),
  /** `true`: TLS from the start (port 993); `false`: STARTTLS when offered (plain only to a local server). */
  BOUNCE_IMAP_TLS: z.enum(['true', 'false']).default('true'),
  BOUNCE_IMAP_MAILBOX: z.string().min(1).default('INBOX'),
  /** How often the bounce mailbox is looked at (also woken at once when the server announces new mail). */
  BOUNCE_IMAP_POLL_MS: z.coerce.number().int().min(100).default(60_000),
  /**
   * Another sender for some message types, as JSON: `{"case-update": "Support Desk <support@…>"}`.
   * A type not named is sent from MAIL_FROM. Names are checked against the templates at boot.
   */
  MAIL_FROM_BY_TYPE: z
    .string()
    .optional()
    .superRefine((value, ctx) => {
      if (value === undefined) {
        return;
      }
      let parsed: unknown;
      try {
        parsed = JSON.parse(value);
      } catch {
        parsed = null;
      }
      if (
        typeof parsed !== 'object' ||
        parsed === null ||
        Array.isArray(parsed) ||
        !Object.values(parsed).every((v) => typeof v === 'string' && v.trim().length > 0)
      ) {
        ctx.addIssue({ code: 'custom', message: 'it must be a JSON object of message type to sender' });
      }
    }),
  /** Bulk mail (announcements) sent per second at most, over all replicas (NOTIF-1); codes are not held back. */
  SMTP_MAX_PER_SECOND: z.coerce.number().int().min(1).default(50),
  /** Bulk SMS sent per second at most, over all replicas. */
  SMS_MAX_PER_SECOND: z.coerce.number().int().min(1).default(10),
  /** SMTP connections each replica keeps open for codes and notices, and as many again for bulk mail. */
  SMTP_POOL_CONNECTIONS: z.coerce.number().int().min(1).max(100).default(5),
  /**
   * Messages sent over one SMTP connection before it is closed and a new one opened; 0 (the
   * default): no limit, a connection is used until the server closes it.
   */
  SMTP_MAX_MESSAGES_PER_CONNECTION: z.coerce.number().int().min(0).default(0),
  /** Jobs each replica works on at once, per queue (the code queues and the bulk queues alike). */
  WORKER_CONCURRENCY: z.coerce.number().int().min(1).max(200).default(5),
  /** DKIM signing of outgoing mail (all three, or none): the signing domain, selector and PEM key. */
  DKIM_DOMAIN: z.string().min(1).optional(),
  DKIM_SELECTOR: z.string().min(1).optional(),
  /** The PEM private key itself (`\\n` for line breaks is accepted), never a file name. */
  DKIM_PRIVATE_KEY: z.string().min(1).optional(),
});

export const caseManagementEnvSchema = baseEnvSchema.extend({
  HTTP_PORT: port(3003),
  /** The provider's name in the status label "In progress (<provider> working)" and on its comments (CASE-3). */
  CASE_PROVIDER_NAME: z.string().min(1).max(60).default('SOC'),
  ...attachmentStoreEnv,
  /**
   * How long bytes written for an upload may wait for their attachment record before the sweep
   * deletes them; longer than the slowest upload (2 GiB over a slow line) takes.
   */
  ATTACHMENT_ORPHAN_GRACE_SECONDS: seconds(24 * 60 * 60),
  /** How often each replica sweeps orphaned attachment bytes; 0 turns it off. */
  ATTACHMENT_SWEEP_INTERVAL_SECONDS: z.coerce
    .number()
    .int()
    .min(0)
    .default(60 * 60),
});
/**
 * AUDIT_RETENTION_MONTHS: months of the audit trail kept besides the current one; older monthly
 * partitions are dropped by `npm run cli -- audit:retention` (run as the schema owner), each only
 * once a signed checkpoint covers it. Unset (the default): kept for ever.
 */
export const auditRetentionMonthsSchema = z.coerce.number().int().min(1).max(1200).optional();
export const auditEnvSchema = baseEnvSchema.extend({
  HTTP_PORT: port(3004),
  AUDIT_RETENTION_MONTHS: auditRetentionMonthsSchema,
});

export type BaseEnv = z.infer<typeof baseEnvSchema>;
export type GatewayEnv = z.infer<typeof gatewayEnvSchema>;
export type AuthEnv = z.infer<typeof authEnvSchema>;
export type NotificationEnv = z.infer<typeof notificationEnvSchema>;
export type CaseManagementEnv = z.infer<typeof caseManagementEnvSchema>;
export type AuditEnv = z.infer<typeof auditEnvSchema>;
