import { Controller, Get, Query, Res, StreamableFile } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { AuditRecordView, ErrorCode, OpsAuditEventsQueryDto } from '@app/contracts';
import {
  AUDIT_EVENTS_DESCRIPTION,
  AUDIT_EVENTS_RESPONSE,
  AUDIT_EXPORT_TYPES,
  AuditEventsExporter,
} from '../audit/audit-events-export.service';
import { AUDIT_FILE_FORMATS, FILES_COOKIE } from '../attachments/files-cookie';
import { ApiErrors } from '../errors/api-errors.decorator';
import { BearerFromCookie } from '../security/public.decorator';
import { Roles } from '../security/roles.decorator';

/** Operators read any tenant's audit trail (AUDIT-4); tenant admins have `GET /admin/audit-events`. */
@ApiTags('operators')
@ApiBearerAuth()
@Roles('operator')
@Controller('ops')
export class OpsAuditEventsController {
  constructor(private readonly audit: AuditEventsExporter) {}

  @Get('audit-events')
  // A file is saved by following a plain link, which carries the files session's cookie; a page is not.
  @BearerFromCookie(FILES_COOKIE, { formats: AUDIT_FILE_FORMATS })
  @ApiOperation({
    summary: "A tenant's audit events, for operators (AUDIT-4)",
    description: AUDIT_EVENTS_DESCRIPTION,
  })
  @ApiProduces(...AUDIT_EXPORT_TYPES)
  @ApiOkResponse(AUDIT_EVENTS_RESPONSE)
  @ApiErrors(ErrorCode.Unauthorized, ErrorCode.SessionEnded, ErrorCode.Forbidden, ErrorCode.ValidationFailed)
  auditEvents(
    @Query() { tenant, ...query }: OpsAuditEventsQueryDto,
    @Res({ passthrough: true }) res: Response,
  ): Promise<AuditRecordView[] | StreamableFile> {
    return this.audit.answer(query, tenant, res);
  }
}
