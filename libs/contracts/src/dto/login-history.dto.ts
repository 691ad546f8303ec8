import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsIn, IsInt, IsISO8601, IsOptional, IsUUID, Max, Min } from 'class-validator';
import { AuditOutcome } from '../events/audit-event';
import { EXPORT_FORMATS, ExportFormat } from './audit.dto';

/**
 * Rows per JSON page at most. Each answer crosses NATS (1 MB per message); a row is under 1.5 kB even
 * with the longest user agent the gateway keeps (512 characters), so 500 rows stay far below it.
 */
export const LOGIN_HISTORY_MAX_PAGE_SIZE = 500;
export const LOGIN_HISTORY_DEFAULT_PAGE_SIZE = 50;
/**
 * Rows per exported file at most (CSV, xlsx, PDF); older rows come with `page=2`, `page=3`, …. The
 * file travels base64-encoded in one NATS message (1 MB): 1000 rows with every field at its longest
 * stay under it (the exporters' size test proves it for each format).
 */
export const LOGIN_HISTORY_EXPORT_MAX_ROWS = 1000;

/** What a history row records (AUTH-22). */
export const LOGIN_HISTORY_EVENTS = [
  'login',
  'second_factor',
  'session_start',
  'logout',
  'session_end',
  'step_up',
] as const;
export type LoginHistoryEvent = (typeof LOGIN_HISTORY_EVENTS)[number];

/** How the user proved (or tried to prove) who they are; `other` for a way this version does not name. */
export const LOGIN_HISTORY_METHODS = [
  'password',
  'sms',
  'email',
  'totp',
  'push',
  'passkey',
  'trusted_browser',
  'initial_password',
  'other',
] as const;
export type LoginHistoryMethod = (typeof LOGIN_HISTORY_METHODS)[number];

export type LoginHistoryFileFormat = Exclude<ExportFormat, 'json'>;

/** `GET /me/login-history`: the caller's own history, newest first. */
export class LoginHistoryQueryDto {
  @ApiPropertyOptional({
    enum: EXPORT_FORMATS,
    default: 'json',
    description: `json: one page. csv, xlsx, pdf: a file of at most ${LOGIN_HISTORY_EXPORT_MAX_ROWS} rows (older rows with page=2, …); times in the user's time zone, headers in the user's language (PDF: English, ASCII only).`,
  })
  @IsOptional()
  @IsIn(EXPORT_FORMATS)
  format?: ExportFormat;

  @ApiPropertyOptional({ description: 'From this time on (inclusive, ISO 8601)' })
  @IsOptional()
  @IsISO8601({ strict: true })
  from?: string;

  @ApiPropertyOptional({ description: 'Before this time (exclusive, ISO 8601)' })
  @IsOptional()
  @IsISO8601({ strict: true })
  to?: string;

  @ApiPropertyOptional({ minimum: 1, default: 1 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(1_000_000)
  page?: number;

  @ApiPropertyOptional({
    minimum: 1,
    maximum: LOGIN_HISTORY_MAX_PAGE_SIZE,
    default: LOGIN_HISTORY_DEFAULT_PAGE_SIZE,
    description: `Rows per JSON page. Files always hold up to ${LOGIN_HISTORY_EXPORT_MAX_ROWS} rows per page.`,
  })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(LOGIN_HISTORY_MAX_PAGE_SIZE)
  pageSize?: number;
}

/** `GET /admin/login-history`: the active tenant's history, optionally of one user. */
export class AdminLoginHistoryQueryDto extends LoginHistoryQueryDto {
  @ApiPropertyOptional({ description: 'Internal user id (uuid) of one user of the tenant' })
  @IsOptional()
  @IsUUID()
  userId?: string;
}

export class LoginHistoryTargetView {
  @ApiProperty({ example: 'session', description: '`session`, `login_flow`, …' })
  type!: string;

  @ApiProperty()
  id!: string;
}

export class LoginHistoryEntryView {
  @ApiProperty({ description: 'The audit event this row was made from' })
  id!: string;

  @ApiProperty({ example: '2025-04-01T00:00:00.000Z' })
  occurredAt!: string;

  @ApiProperty({ description: 'Internal user id (uuid)' })
  userId!: string;

  @ApiProperty({ description: 'The login ID the user has now', nullable: true, type: String })
  loginId!: string | null;

  @ApiProperty({ enum: LOGIN_HISTORY_EVENTS })
  event!: LoginHistoryEvent;

  @ApiProperty({
    enum: LOGIN_HISTORY_METHODS,
    nullable: true,
    description: 'Null where none applies (logout)',
  })
  method!: LoginHistoryMethod | null;

  @ApiProperty({ enum: ['success', 'failure', 'denied', 'info'] })
  result!: AuditOutcome;

  @ApiProperty({
    type: [String],
    example: ['wrong_password'],
    description: 'Reason codes of the audit event',
  })
  reasons!: string[];

  @ApiProperty({ nullable: true, type: String })
  ip!: string | null;

  @ApiProperty({ nullable: true, type: String })
  userAgent!: string | null;

  @ApiProperty({ nullable: true, type: LoginHistoryTargetView, description: 'The session or login flow' })
  target!: LoginHistoryTargetView | null;
}

export class LoginHistoryPage {
  @ApiProperty({ type: [LoginHistoryEntryView] })
  items!: LoginHistoryEntryView[];

  @ApiProperty({ description: 'Rows matching the filters' })
  total!: number;

  @ApiProperty()
  page!: number;

  @ApiProperty()
  pageSize!: number;
}

/** An exported file as it crosses NATS: bytes base64-encoded (see LOGIN_HISTORY_EXPORT_MAX_ROWS). */
export interface LoginHistoryFile {
  fileName: string;
  contentType: string;
  base64: string;
  rows: number;
}
