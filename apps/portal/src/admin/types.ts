// The shapes of API.md's tenant admin routes the admin screens read.

/** `GET /admin/users` and every answer about one user. */
export interface AdminUser {
  id: string;
  userId: string;
  email: string;
  familyName: string;
  givenName: string | null;
  displayName: string | null;
  title: string | null;
  phone: string | null;
  officePhone: string | null;
  language: 'ja' | 'en';
  timezone: string;
  admin: boolean;
  mfaRequired: boolean;
  loginDisabled: boolean;
  locked: boolean;
  emailUndeliverable: boolean;
  notificationEmail: string | null;
  createdAt: string;
}

/** `GET|PUT /admin/security-policy` (AUTH-5, AUTH-9). */
export interface SecurityPolicy {
  mfaAlways: boolean;
  /** 1–90 days; null: the platform default of 8 hours. */
  trustedBrowserDays: number | null;
}

/** One row of `GET /admin/audit-events` (AUDIT-4). */
export interface AuditRecord {
  id: string;
  type: string;
  occurredAt: string;
  actor: { userId?: string; tenant?: string; ip?: string; userAgent?: string };
  target?: { type: string; id: string };
  outcome: 'success' | 'failure' | 'denied' | 'info';
  reasons?: string[];
  correlationId: string;
  seq: number;
}

export const AUDIT_OUTCOMES = ['success', 'failure', 'denied', 'info'] as const;
export const EXPORT_FORMATS = ['csv', 'xlsx', 'pdf'] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];
