import { z } from 'zod';

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

/** Names whose values are masked in every message. */
export const SECRET_NAMES = new Set([
  'JWT_SECRET',
  'TOKEN_HMAC_SECRET',
  'DATA_ENCRYPTION_KEY',
  'SMTP_URL',
  'INTEGRATION_API_KEY',
  'AUDIT_DATABASE_URL',
  'AUDIT_SIGNING_KEY',
]);

export const baseEnvSchema = z.object({
  NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  DATABASE_URL: url(['postgres:', 'postgresql:']).default('postgres://postgres@127.0.0.1:5432/mamori'),
  REDIS_URL: url(['redis:', 'rediss:']).default('redis://127.0.0.1:6379'),
  NATS_URL: url(['nats:', 'tls:']).default('nats://127.0.0.1:4222'),
  /** Prefix of every Redis key (BullMQ queues, revocation marks), so several platforms can share one Redis. */
  REDIS_PREFIX: z
    .string()
    .regex(/^[a-z0-9_-]{1,32}$/)
    .default('mamori'),
  /** Health and metrics port of a back-end service; 0 picks a free port (two replicas on one host). */
  HTTP_PORT: port(0),
  NATS_REQUEST_TIMEOUT_MS: z.coerce.number().int().positive().default(10_000),
});

export const gatewayEnvSchema = baseEnvSchema.extend({
  PORT: port(3000),
  JWT_SECRET: secret,
  CORS_ORIGINS: z.string().default(''),
  /** Requests per minute per IP on the login and reset endpoints (GW-1). */
  RATE_LIMIT_PER_MINUTE: z.coerce.number().int().positive().default(600),
});

export const authEnvSchema = baseEnvSchema.extend({
  HTTP_PORT: port(3001),
  JWT_SECRET: secret,
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
});

export const notificationEnvSchema = baseEnvSchema.extend({
  HTTP_PORT: port(3002),
  SMTP_URL: url(['smtp:', 'smtps:']).optional(),
  MAIL_FROM: z.string().default('Security Advisory Center <noreply@mamori.local>'),
  SMS_PROVIDER: z.enum(['outbox', 'webhook']).default('outbox'),
  SMS_WEBHOOK_URL: url(['http:', 'https:']).optional(),
  /** Upper bound of a retry delay, in milliseconds (NOTIF-4). */
  RETRY_MAX_DELAY_MS: z.coerce.number().int().positive().default(60_000),
  RETRY_ATTEMPTS: z.coerce.number().int().min(1).max(20).default(6),
});

export const caseManagementEnvSchema = baseEnvSchema.extend({ HTTP_PORT: port(3003) });
export const auditEnvSchema = baseEnvSchema.extend({ HTTP_PORT: port(3004) });

export type BaseEnv = z.infer<typeof baseEnvSchema>;
export type GatewayEnv = z.infer<typeof gatewayEnvSchema>;
export type AuthEnv = z.infer<typeof authEnvSchema>;
export type NotificationEnv = z.infer<typeof notificationEnvSchema>;
export type CaseManagementEnv = z.infer<typeof caseManagementEnvSchema>;
export type AuditEnv = z.infer<typeof auditEnvSchema>;
