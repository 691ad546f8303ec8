import { Controller, Get, HttpCode, HttpStatus, Param, Post, Req, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { AttachmentOpenRequest, AttachmentView, CaseNumberParam, ErrorCode } from '@app/contracts';
import { ApiErrors } from '../errors/api-errors.decorator';
import { GatewayRequest } from '../request-context/gateway-request';
import { RequireTenant } from '../security/require-tenant.decorator';
import { Roles } from '../security/roles.decorator';
import { ApiAttachmentDownload, ApiAttachmentUpload } from './attachment-routes.util';
import { AttachmentTransfer } from './attachment-transfer';
import { FILES_COOKIE } from './files-cookie';
import { BearerFromCookie } from '../security/public.decorator';

const CUSTOMER_ERRORS = [
  ErrorCode.Unauthorized,
  ErrorCode.SessionEnded,
  ErrorCode.Forbidden,
  ErrorCode.TenantSelectionRequired,
  ErrorCode.NotFound,
];

/** A customer's attachments, on the active tenant's cases only (another tenant's: 404). */
@ApiTags('cases')
@ApiBearerAuth()
@RequireTenant()
@Roles('admin', 'user')
@Controller('cases')
export class CaseAttachmentsController {
  constructor(private readonly transfer: AttachmentTransfer) {}

  @Post(':number/attachments')
  @HttpCode(HttpStatus.CREATED)
  @ApiAttachmentUpload('customers')
  @ApiErrors(
    ...CUSTOMER_ERRORS,
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
  @ApiErrors(...CUSTOMER_ERRORS, ErrorCode.RangeNotSatisfiable)
  download(
    @Param() { number, id }: AttachmentOpenRequest,
    @Req() req: GatewayRequest,
    @Res() res: Response,
  ): Promise<void> {
    return this.transfer.download(req, res, number, id);
  }
}
