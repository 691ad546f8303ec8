import { Body, Controller, Get, HttpCode, HttpStatus, Param, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiParam, ApiResponse, ApiTags } from '@nestjs/swagger';
import {
  CaseDetailView,
  CaseListQueryDto,
  CaseListView,
  CaseNumberParam,
  CaseStatusDto,
  CaseSummaryView,
  CommentDto,
  ErrorCode,
  OpsCreateCaseDto,
} from '@app/contracts';
import { RpcClient } from '@app/messaging';
import { ApiErrors } from '../errors/api-errors.decorator';
import { Roles } from '../security/roles.decorator';

const OPERATOR_ERRORS = [ErrorCode.Unauthorized, ErrorCode.SessionEnded, ErrorCode.Forbidden];

const CASE_PARAM = { name: 'number', description: 'Case number, e.g. CS0000001' };

/** Operators work the cases of every tenant (CASE-2, CASE-5, CASE-6, CASE-8). */
@ApiTags('operators')
@ApiBearerAuth()
@Roles('operator')
@Controller('ops/cases')
export class OpsCasesController {
  constructor(private readonly rpc: RpcClient) {}

  @Get()
  @ApiOperation({
    summary: 'Cases of every tenant (CASE-8)',
    description: 'The query parameters of `GET /cases`; `tenant` is a filter field too.',
  })
  @ApiResponse({ status: 200, description: '`{items, total, totalIsExact, page, pageSize}`' })
  @ApiErrors(...OPERATOR_ERRORS)
  list(@Query() query: CaseListQueryDto): Promise<CaseListView> {
    return this.rpc.send('case-management.ops.case.list', query);
  }

  @Post()
  @HttpCode(HttpStatus.CREATED)
  @ApiOperation({
    summary: 'Open a case for a tenant (CASE-2)',
    description: 'Any category; no requester; never counts against the one-open-inquiry rule.',
  })
  @ApiResponse({ status: 201, description: 'The case' })
  @ApiErrors(...OPERATOR_ERRORS, ErrorCode.ServiceNotContracted)
  create(@Body() dto: OpsCreateCaseDto): Promise<CaseSummaryView> {
    return this.rpc.send('case-management.ops.case.create', dto);
  }

  @Get(':number')
  @ApiParam(CASE_PARAM)
  @ApiOperation({ summary: 'One case with its activity and attachments' })
  @ApiResponse({ status: 200, description: 'The case with `activity` and `attachments`' })
  @ApiErrors(...OPERATOR_ERRORS, ErrorCode.NotFound)
  get(@Param() { number }: CaseNumberParam): Promise<CaseDetailView> {
    return this.rpc.send('case-management.ops.case.get', { number });
  }

  @Post(':number/status')
  @HttpCode(HttpStatus.OK)
  @ApiParam(CASE_PARAM)
  @ApiOperation({
    summary: 'Set the status (CASE-5)',
    description:
      '`in_progress`, `awaiting_customer`, `resolved` or `closed`, on an open case that is not resolved (only the customer approves or rejects a solution). The comment is kept on the case.',
  })
  @ApiResponse({ status: 200, description: 'The case' })
  @ApiErrors(...OPERATOR_ERRORS, ErrorCode.NotFound, ErrorCode.InvalidTransition)
  setStatus(@Param() { number }: CaseNumberParam, @Body() dto: CaseStatusDto): Promise<CaseSummaryView> {
    return this.rpc.send('case-management.ops.case.status', {
      number,
      status: dto.status,
      ...(dto.comment ? { comment: dto.comment } : {}),
    });
  }

  @Post(':number/comments')
  @HttpCode(HttpStatus.CREATED)
  @ApiParam(CASE_PARAM)
  @ApiOperation({ summary: 'Reply on a case (CASE-6); the requester and watchers are e-mailed' })
  @ApiResponse({ status: 201, description: 'The case with its activity' })
  @ApiErrors(...OPERATOR_ERRORS, ErrorCode.NotFound, ErrorCode.CaseClosed)
  comment(@Param() { number }: CaseNumberParam, @Body() dto: CommentDto): Promise<CaseDetailView> {
    return this.rpc.send('case-management.ops.case.comment', { number, body: dto.body });
  }
}
