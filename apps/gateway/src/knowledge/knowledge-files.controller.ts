import { Controller, Get, Param, Req, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { ErrorCode, KbAttachmentParam } from '@app/contracts';
import { RpcClient } from '@app/messaging';
import { AttachmentTransfer } from '../attachments/attachment-transfer';
import { ApiErrors } from '../errors/api-errors.decorator';
import { GatewayRequest } from '../request-context/gateway-request';
import { RequireTenant } from '../security/require-tenant.decorator';
import { Roles } from '../security/roles.decorator';
import { ApiKnowledgeFileDownload } from './knowledge-file-routes.util';
import { FILES_COOKIE } from '../attachments/files-cookie';
import { BearerFromCookie } from '../security/public.decorator';

/** Files of the articles the active tenant may read (CASE-10); another base's file is 404. */
@ApiTags('knowledge')
@ApiBearerAuth()
@RequireTenant()
@Roles('admin', 'user')
@Controller('knowledge')
export class KnowledgeFilesController {
  constructor(
    private readonly transfer: AttachmentTransfer,
    private readonly rpc: RpcClient,
  ) {}

  @Get(':number/attachments/:id')
  @BearerFromCookie(FILES_COOKIE)
  @ApiKnowledgeFileDownload('customers')
  @ApiErrors(
    ErrorCode.Unauthorized,
    ErrorCode.SessionEnded,
    ErrorCode.Forbidden,
    ErrorCode.TenantSelectionRequired,
    ErrorCode.NotFound,
    ErrorCode.RangeNotSatisfiable,
  )
  download(
    @Param() { number, id }: KbAttachmentParam,
    @Req() req: GatewayRequest,
    @Res() res: Response,
  ): Promise<void> {
    return this.transfer.downloadFrom(req, res, number, () =>
      this.rpc.send('case-management.knowledge.file.open', { number, id }),
    );
  }
}
