import {
  Body,
  Controller,
  Get,
  HttpCode,
  HttpStatus,
  Param,
  Post,
  Put,
  Query,
  Req,
  Res,
} from '@nestjs/common';
import type { Response } from 'express';
import { ApiBearerAuth, ApiOperation, ApiParam, ApiResponse, ApiTags } from '@nestjs/swagger';
import {
  ErrorCode,
  IdParam,
  OpsWorkRequestItemView,
  OpsWorkRequestQueryDto,
  OpsWorkRequestView,
  RejectWorkRequestDto,
  WorkRequestAcceptedView,
  WorkRequestAttachmentOpenRequest,
  WorkRequestItemDto,
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
import { Roles } from '../security/roles.decorator';
import { REQUEST_FIELDS } from './work-requests.controller';
import { FILES_COOKIE } from '../attachments/files-cookie';
import { BearerFromCookie } from '../security/public.decorator';

const OPERATOR_ERRORS = [ErrorCode.Unauthorized, ErrorCode.SessionEnded, ErrorCode.Forbidden];

const OPS_ITEM_FIELDS =
  '`{id, code, name:{ja,en}, description:{ja,en}, service, fields:[{key, label:{ja,en}, type, required, options?:[{value, label:{ja,en}}]}], active, createdAt, updatedAt}`';
const OPS_REQUEST_FIELDS = `${REQUEST_FIELDS.slice(0, -2)}, tenant, service}\``;
const ID_PARAM = { name: 'id', description: 'Id (uuid)' };

/** Operators' work request catalogue and the requests of every tenant (CASE-7). */
@ApiTags('operators')
@ApiBearerAuth()
@Roles('operator')
@Controller('ops')
export class OpsWorkRequestsController {
  constructor(
    private readonly rpc: RpcClient,
    private readonly transfer: AttachmentTransfer,
  ) {}

  @Get('work-request-items')
  @ApiOperation({ summary: 'The whole work request catalogue, withdrawn items too (CASE-7)' })
  @ApiResponse({ status: 200, description: `[${OPS_ITEM_FIELDS}]` })
  @ApiErrors(...OPERATOR_ERRORS)
  items(): Promise<OpsWorkRequestItemView[]> {
    return this.rpc.send('case-management.ops.work_request_item.list', {});
  }

  @Post('work-request-items')
  @HttpCode(HttpStatus.CREATED)
  @ApiOperation({
    summary: 'Add an item to the work request catalogue (CASE-7)',
    description:
      'Names and descriptions in ja and en; a form of fields (text, textarea, select with options, date, number), each with a unique key and a required flag. A code already used: `409 conflict`.',
  })
  @ApiResponse({ status: 201, description: OPS_ITEM_FIELDS })
  @ApiErrors(...OPERATOR_ERRORS, ErrorCode.Conflict)
  createItem(@Body() dto: WorkRequestItemDto): Promise<OpsWorkRequestItemView> {
    return this.rpc.send('case-management.ops.work_request_item.create', dto);
  }

  @Put('work-request-items/:id')
  @ApiParam(ID_PARAM)
  @ApiOperation({
    summary: 'Replace a catalogue item (CASE-7)',
    description: 'Requests already submitted keep the item as it was; `active: false` withdraws it.',
  })
  @ApiResponse({ status: 200, description: OPS_ITEM_FIELDS })
  @ApiErrors(...OPERATOR_ERRORS, ErrorCode.NotFound, ErrorCode.Conflict)
  updateItem(@Param() { id }: IdParam, @Body() dto: WorkRequestItemDto): Promise<OpsWorkRequestItemView> {
    return this.rpc.send('case-management.ops.work_request_item.update', { ...dto, id });
  }

  @Get('work-requests')
  @ApiOperation({ summary: "Every tenant's work requests, oldest first, optionally of one status (CASE-7)" })
  @ApiResponse({ status: 200, description: `[${OPS_REQUEST_FIELDS}]` })
  @ApiErrors(...OPERATOR_ERRORS)
  list(@Query() query: OpsWorkRequestQueryDto): Promise<OpsWorkRequestView[]> {
    return this.rpc.send('case-management.ops.work_request.list', query);
  }

  @Get('work-requests/:requestId/attachments/:id')
  @BearerFromCookie(FILES_COOKIE)
  @ApiFileDownload([WORK_REQUEST_ID_PARAM, ATTACHMENT_ID_PARAM], {
    summary: "Download a work request's file before deciding (CASE-7)",
    description: 'As a case attachment download (`ETag`, `Range`, `Content-Disposition: attachment`).',
  })
  @ApiErrors(...OPERATOR_ERRORS, ErrorCode.NotFound, ErrorCode.RangeNotSatisfiable)
  download(
    @Param() { requestId, id }: WorkRequestAttachmentOpenRequest,
    @Req() req: GatewayRequest,
    @Res() res: Response,
  ): Promise<void> {
    return this.transfer.downloadFrom(req, res, `work-request:${requestId}`, () =>
      this.rpc.send('case-management.work_request.attachment.open', { requestId, id }),
    );
  }

  @Post('work-requests/:id/accept')
  @HttpCode(HttpStatus.OK)
  @ApiParam(ID_PARAM)
  @ApiOperation({
    summary: 'Accept a work request (CASE-7)',
    description:
      "Opens a case of category work request in the same transaction (subject: the item's name in the requester's language; requester: the submitter; the request's files carried over) and e-mails the submitter. A request already accepted or rejected: `409 invalid_transition` — two operators accepting at once open one case.",
  })
  @ApiResponse({ status: 200, description: '`{caseNumber}`' })
  @ApiErrors(
    ...OPERATOR_ERRORS,
    ErrorCode.NotFound,
    ErrorCode.InvalidTransition,
    ErrorCode.ServiceNotContracted,
  )
  accept(@Param() { id }: IdParam): Promise<WorkRequestAcceptedView> {
    return this.rpc.send('case-management.ops.work_request.accept', { id });
  }

  @Post('work-requests/:id/reject')
  @HttpCode(HttpStatus.OK)
  @ApiParam(ID_PARAM)
  @ApiOperation({
    summary: 'Reject a work request with a reason shown to the customer (CASE-7)',
    description:
      'No case is opened; the submitter is e-mailed the reason. A decided request: `409 invalid_transition`.',
  })
  @ApiResponse({ status: 200, description: OPS_REQUEST_FIELDS })
  @ApiErrors(...OPERATOR_ERRORS, ErrorCode.NotFound, ErrorCode.InvalidTransition)
  reject(@Param() { id }: IdParam, @Body() dto: RejectWorkRequestDto): Promise<OpsWorkRequestView> {
    return this.rpc.send('case-management.ops.work_request.reject', { ...dto, id });
  }
}
