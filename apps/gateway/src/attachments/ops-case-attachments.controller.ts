import { Controller, Get, HttpCode, HttpStatus, Param, Post, Req, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { AttachmentOpenRequest, AttachmentView, CaseNumberParam, ErrorCode } from '@app/contracts';
import { ApiErrors } from '../errors/api-errors.decorator';
import { GatewayRequest } from '../request-context/gateway-request';
import { Roles } from '../security/roles.decorator';
import { ApiAttachmentDownload, ApiAttachmentUpload } from './attachment-routes.util';
import { AttachmentTransfer } from './attachment-transfer';
import { FILES_COOKIE } from './files-cookie';
import { BearerFromCookie } from '../security/public.decorator';

const OPERATOR_ERRORS = [
  ErrorCode.Unauthorized,
  ErrorCode.SessionEnded,
  ErrorCode.Forbidden,
  ErrorCode.NotFound,
];

/** Operators attach files to any tenant's case (monthly reports) and download any (CASE-6). */
@ApiTags('operators')
@ApiBearerAuth()
@Roles('operator')
@Controller('ops/cases')
export class OpsCaseAttachmentsController {
  constructor(private readonly transfer: AttachmentTransfer) {}

  @Post(':number/attachments')
  @HttpCode(HttpStatus.CREATED)
  @ApiAttachmentUpload('operators')
  @ApiErrors(
    ...OPERATOR_ERRORS,
    ErrorCode.CaseClosed,
    ErrorCode.AttachmentTooLarge,
    ErrorCode.AttachmentTypeRefused,
  )
  upload(
    @Param() { number }: CaseNumberParam,
    @Req() req: GatewayRequest,
    @Res({ passthrough: true }) res: Response,
  ): Promise<AttachmentView> {
    return this.transfer.upload(req, res, number);
  }

  @Get(':number/attachments/:id')
  @BearerFromCookie(FILES_COOKIE)
  @ApiAttachmentDownload()
  @ApiErrors(...OPERATOR_ERRORS, ErrorCode.RangeNotSatisfiable)
  download(
    @Param() { number, id }: AttachmentOpenRequest,
    @Req() req: GatewayRequest,
    @Res() res: Response,
  ): Promise<void> {
    return this.transfer.download(req, res, number, id);
  }
}
