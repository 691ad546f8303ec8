import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsISO8601, IsIn, IsInt, IsOptional, IsString, Matches, Max, MaxLength, Min } from 'class-validator';
import { AUDIT_OUTCOMES, AuditOutcome } from '../events/audit-event';

export const EXPORT_FORMATS = ['json', 'csv', 'xlsx', 'pdf'] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];

/** Events in one JSON page by default, and at most (a page must fit one NATS reply of 1 MiB). */
export const AUDIT_PAGE_DEFAULT_SIZE = 100;
export const AUDIT_PAGE_MAX_SIZE = 500;

export class AuditEventsQueryDto {
  @ApiPropertyOptional({
    example: 'auth.login',
    description:
      'A type or the start of one: `auth.login` (or `auth.login.*`) matches every `auth.login.…` type',
  })
  @IsOptional()
  @IsString()
  @Matches(/^[a-z0-9_.-]{1,100}(\.\*)?$/)
  type?: string;

  @ApiPropertyOptional({ description: 'Internal user id (uuid) of the actor' })
  @IsOptional()
  @IsString()
  @MaxLength(64)
  userId?: string;

  @ApiPropertyOptional({ enum: AUDIT_OUTCOMES })
  @IsOptional()
  @IsIn(AUDIT_OUTCOMES)
  outcome?: AuditOutcome;

  @ApiPropertyOptional({ description: 'Inclusive, ISO 8601' })
  @IsOptional()
  @IsISO8601()
  from?: string;

  @ApiPropertyOptional({ description: 'Exclusive, ISO 8601' })
  @IsOptional()
  @IsISO8601()
  to?: string;

  @ApiPropertyOptional({
    description:
      'Where the next page starts: the `nextCursor` of the previous page (header `X-Next-Cursor`). ' +
      'Opaque and signed; it is only valid with the same filters.',
  })
  @IsOptional()
  @IsString()
  @MaxLength(600)
  cursor?: string;

  @ApiPropertyOptional({ minimum: 1, maximum: AUDIT_PAGE_MAX_SIZE, default: AUDIT_PAGE_DEFAULT_SIZE })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(AUDIT_PAGE_MAX_SIZE)
  limit?: number;

  @ApiPropertyOptional({
    enum: EXPORT_FORMATS,
    description: 'Absent: one JSON page. Given: a file of every matching event, streamed (any size).',
  })
  @IsOptional()
  @IsIn(EXPORT_FORMATS)
  format?: ExportFormat;
}

/** `GET /ops/audit-events`: an operator names the tenant. */
export class OpsAuditEventsQueryDto extends AuditEventsQueryDto {
  @ApiProperty({ example: 'N202400003', description: 'Customer number of the tenant' })
  @IsString()
  @Matches(/^[A-Za-z0-9_-]{1,64}$/)
  tenant!: string;
}

/** One page of audit events, newest first; `nextCursor` is null on the last page. */
export interface AuditEventsPage<T> {
  items: T[];
  nextCursor: string | null;
}
