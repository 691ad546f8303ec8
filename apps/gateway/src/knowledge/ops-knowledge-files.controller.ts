import { Controller, Get, HttpCode, HttpStatus, Param, Post, Put, Req, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import {
  ErrorCode,
  KbAttachmentParam,
  KbNumberParam,
  KnowledgeFileRole,
  KnowledgeFileView,
} from '@app/contracts';
import { RpcClient } from '@app/messaging';
import { AttachmentTransfer } from '../attachments/attachment-transfer';
import { ApiErrors } from '../errors/api-errors.decorator';
import { GatewayRequest } from '../request-context/gateway-request';
import { Roles } from '../security/roles.decorator';
import { ApiKnowledgeFileDownload, ApiKnowledgeFileUpload } from './knowledge-file-routes.util';
import { FILES_COOKIE } from '../attachments/files-cookie';
import { BearerFromCookie } from '../security/public.decorator';

const OPERATOR_ERRORS = [
  ErrorCode.Unauthorized,
  ErrorCode.SessionEnded,
  ErrorCode.Forbidden,
  ErrorCode.NotFound,
];
const UPLOAD_ERRORS = [...OPERATOR_ERRORS, ErrorCode.AttachmentTooLarge, ErrorCode.AttachmentTypeRefused];

/** Operators add files to articles (CASE-10): attachments, and the file a document article is. */
@ApiTags('operators')
@ApiBearerAuth()
@Roles('operator')
@Controller('ops/knowledge/articles')
export class OpsKnowledgeFilesController {
  constructor(
    private readonly transfer: AttachmentTransfer,
    private readonly rpc: RpcClient,
  ) {}

  @Post(':number/attachments')
  @HttpCode(HttpStatus.CREATED)
  @ApiKnowledgeFileUpload(
    'Attach a file to an article (CASE-10)',
    201,
    'Readers of the article see it in `attachments` and download it.',
  )
  @ApiErrors(...UPLOAD_ERRORS)
  attach(
    @Param() { number }: KbNumberParam,
    @Req() req: GatewayRequest,
    @Res({ passthrough: true }) res: Response,
  ): Promise<KnowledgeFileView> {
    return this.upload(req, res, number, 'attachment');
  }

  @Put(':number/document')
  @ApiKnowledgeFileUpload(
    "Upload or replace a document article's file (CASE-10)",
    200,
    'Only for an article created with `format: "document"` (else `400 validation_failed`); customers see ' +
      'the article once its file is there. A new file replaces the old one, which is deleted.',
  )
  @ApiErrors(...UPLOAD_ERRORS)
  document(
    @Param() { number }: KbNumberParam,
    @Req() req: GatewayRequest,
    @Res({ passthrough: true }) res: Response,
  ): Promise<KnowledgeFileView> {
    return this.upload(req, res, number, 'document');
  }

  @Get(':number/attachments/:id')
  @BearerFromCookie(FILES_COOKIE)
  @ApiKnowledgeFileDownload('operators')
  @ApiErrors(...OPERATOR_ERRORS, ErrorCode.RangeNotSatisfiable)
  download(
    @Param() { number, id }: KbAttachmentParam,
    @Req() req: GatewayRequest,
    @Res() res: Response,
  ): Promise<void> {
    return this.transfer.downloadFrom(req, res, number, () =>
      this.rpc.send('case-management.ops.knowledge.file.open', { number, id }),
    );
  }

  private upload(
    req: GatewayRequest,
    res: Response,
    number: string,
    role: KnowledgeFileRole,
  ): Promise<KnowledgeFileView> {
    return this.transfer.uploadTo(req, res, {
      label: number,
      begin: (ctx) => this.rpc.send('case-management.ops.knowledge.file.begin', { number, role }, ctx),
      commit: (ctx, ticket, file) =>
        this.rpc.send(
          'case-management.ops.knowledge.file.commit',
          { number, role, id: ticket.id, ...file },
          ctx,
        ),
    });
  }
}
