import { Body, Controller, Get, HttpCode, HttpStatus, Param, Post, Req, Res } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiBody,
  ApiConsumes,
  ApiOperation,
  ApiParam,
  ApiResponse,
  ApiTags,
} from '@nestjs/swagger';
import type { Response } from 'express';
import {
  AttachmentView,
  ErrorCode,
  IdParam,
  SubmitWorkRequestDto,
  WorkRequestAttachmentOpenRequest,
  WorkRequestItemView,
  WorkRequestView,
} from '@app/contracts';
import { RpcClient } from '@app/messaging';
import { AttachmentTransfer } from '../attachments/attachment-transfer';
import { ApiErrors } from '../errors/api-errors.decorator';
import {
  ApiFileDownload,
  ATTACHMENT_ID_PARAM,
  WORK_REQUEST_ID_PARAM,
} from '../attachments/attachment-routes.util';
import { GatewayRequest } from '../request-context/gateway-request';
import { RequireTenant } from '../security/require-tenant.decorator';
import { Roles } from '../security/roles.decorator';
import { FILES_COOKIE } from '../attachments/files-cookie';
import { BearerFromCookie } from '../security/public.decorator';

const CUSTOMER_ERRORS = [
  ErrorCode.Unauthorized,
  ErrorCode.SessionEnded,
  ErrorCode.Forbidden,
  ErrorCode.TenantSelectionRequired,
];

export const ITEM_FIELDS =
  '`{id, code, name, description, service, fields:[{key, label, type:"text"|"textarea"|"select"|"date"|"number", required, options?:[{value, label}]}]}` (texts in the caller\'s language)';
export const REQUEST_FIELDS =
  '`{id, item:{id, code, name}, status:"submitted"|"accepted"|"rejected", submittedAt, decidedAt?, reason?, caseNumber?, requester:{id, name}, fields:[{key, label, type, value}], attachments:[{id, name, size, sha256, contentType, uploadedAt}]}`';

/** A customer's work requests (CASE-7), on the active tenant only (another tenant's request: 404). */
@ApiTags('work requests')
@ApiBearerAuth()
@RequireTenant()
@Roles('admin', 'user')
@Controller()
export class WorkRequestsController {
  constructor(
    private readonly rpc: RpcClient,
    private readonly transfer: AttachmentTransfer,
  ) {}

  @Get('work-request-items')
  @ApiOperation({
    summary: 'The work request catalogue (CASE-7)',
    description: 'The active items of the services the tenant contracts, in the order of their numbers.',
  })
  @ApiResponse({ status: 200, description: `[${ITEM_FIELDS}]` })
  @ApiErrors(...CUSTOMER_ERRORS)
  items(): Promise<WorkRequestItemView[]> {
    return this.rpc.send('case-management.work_request_item.list', {});
  }

  @Post('work-requests')
  @HttpCode(HttpStatus.CREATED)
  @ApiOperation({
    summary: 'Submit a work request (CASE-7)',
    description:
      '`fields` holds a value per field key of the item\'s form: a missing required field, a value of the wrong type, a select value that is not an option, a date that is not YYYY-MM-DD, or a key the form does not have is `400 validation_failed` with `details.fields["fields.<key>"]`. A "received" e-mail echoing the request goes to the submitter.',
  })
  @ApiResponse({ status: 201, description: REQUEST_FIELDS })
  @ApiErrors(...CUSTOMER_ERRORS)
  submit(@Body() dto: SubmitWorkRequestDto): Promise<WorkRequestView> {
    return this.rpc.send('case-management.work_request.submit', dto);
  }

  @Get('work-requests')
  @ApiOperation({ summary: "The tenant's work requests, newest first (CASE-7)" })
  @ApiResponse({ status: 200, description: `[${REQUEST_FIELDS}]` })
  @ApiErrors(...CUSTOMER_ERRORS)
  list(): Promise<WorkRequestView[]> {
    return this.rpc.send('case-management.work_request.list', {});
  }

  @Get('work-requests/:requestId/attachments/:id')
  @BearerFromCookie(FILES_COOKIE)
  @ApiFileDownload([WORK_REQUEST_ID_PARAM, ATTACHMENT_ID_PARAM], {
    summary: "Download a work request's file (CASE-7)",
    description: 'As a case attachment download (`ETag`, `Range`, `Content-Disposition: attachment`).',
  })
  @ApiErrors(...CUSTOMER_ERRORS, ErrorCode.NotFound, ErrorCode.RangeNotSatisfiable)
  download(
    @Param() { requestId, id }: WorkRequestAttachmentOpenRequest,
    @Req() req: GatewayRequest,
    @Res() res: Response,
  ): Promise<void> {
    return this.transfer.downloadFrom(req, res, `work-request:${requestId}`, () =>
      this.rpc.send('case-management.work_request.attachment.open', { requestId, id }),
    );
  }

  @Post('work-requests/:id/attachments')
  @HttpCode(HttpStatus.CREATED)
  @ApiParam({ name: 'id', description: 'Work request id (uuid)' })
  @ApiOperation({
    summary: 'Attach a file to a work request (CASE-7)',
    description:
      'As a case attachment (multipart/form-data with one part `file`, streamed, type sniffed, size limited). ' +
      "Only while the request is submitted (`409 work_request_decided` after); an accepted request's files become its case's.",
  })
  @ApiConsumes('multipart/form-data')
  @ApiBody({
    schema: {
      type: 'object',
      required: ['file'],
      properties: { file: { type: 'string', format: 'binary' } },
    },
  })
  @ApiResponse({ status: 201, description: '`{id, name, size, sha256, contentType}`' })
  @ApiErrors(
    ...CUSTOMER_ERRORS,
    ErrorCode.NotFound,
    ErrorCode.WorkRequestDecided,
    ErrorCode.AttachmentTooLarge,
    ErrorCode.AttachmentTypeRefused,
  )
  attach(
    @Param() { id }: IdParam,
    @Req() req: GatewayRequest,
    @Res({ passthrough: true }) res: Response,
  ): Promise<AttachmentView> {
    return this.transfer.uploadTo(req, res, {
      label: `work-request:${id}`,
      begin: (ctx) => this.rpc.send('case-management.work_request.attachment.begin', { id }, ctx),
      commit: (ctx, ticket, file) =>
        this.rpc.send(
          'case-management.work_request.attachment.commit',
          { requestId: id, id: ticket.id, ...file },
          ctx,
        ),
    });
  }
}
