import { Body, Controller, Get, HttpCode, HttpStatus, Param, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiParam, ApiResponse, ApiTags } from '@nestjs/swagger';
import {
  CaseDetailView,
  CaseListQueryDto,
  CaseListView,
  CaseNumberParam,
  CaseSummaryView,
  CommentDto,
  CreateCaseDto,
  ErrorCode,
  RejectSolutionDto,
} from '@app/contracts';
import { RpcClient } from '@app/messaging';
import { ApiErrors } from '../errors/api-errors.decorator';
import { RequireTenant } from '../security/require-tenant.decorator';
import { Roles } from '../security/roles.decorator';

/** Errors of every route here: the guards' answers. */
const CUSTOMER_ERRORS = [
  ErrorCode.Unauthorized,
  ErrorCode.SessionEnded,
  ErrorCode.Forbidden,
  ErrorCode.TenantSelectionRequired,
];

const CASE_PARAM = {
  name: 'number',
  description: "Case number, e.g. CS0000001; another tenant's case is 404",
};

const CASE_FIELDS =
  '`{number, tenant, contractor, service, category, subject, description, requester:{id,name}|null, watchers:[{id,name}], status, statusLabel, createdAt, updatedAt, availableActions, statusMessage}`';

/** A customer's cases, always of the active tenant (CASE-2…CASE-8). */
@ApiTags('cases')
@ApiBearerAuth()
@RequireTenant()
@Roles('admin', 'user')
@Controller('cases')
export class CasesController {
  constructor(private readonly rpc: RpcClient) {}

  @Post()
  @HttpCode(HttpStatus.CREATED)
  @ApiOperation({
    summary: 'Open an inquiry (CASE-2…CASE-4)',
    description:
      'In a contracted service and a customer-selectable category. One open inquiry per tenant and service; category `fault` is exempt. `description` is sanitised HTML.',
  })
  @ApiResponse({ status: 201, description: `The case: ${CASE_FIELDS}` })
  @ApiErrors(
    ...CUSTOMER_ERRORS,
    ErrorCode.OpenInquiryExists,
    ErrorCode.CategoryNotSelectable,
    ErrorCode.ServiceNotContracted,
  )
  create(@Body() dto: CreateCaseDto): Promise<CaseSummaryView> {
    return this.rpc.send('case-management.case.create', dto);
  }

  @Get()
  @ApiOperation({
    summary: 'The case list (CASE-8)',
    description:
      'Views, filter (JSON: OR groups of conditions), keyword `q`, number search, multi-key sort and paging; `total` is exact up to 10,000.',
  })
  @ApiResponse({ status: 200, description: '`{items, total, totalIsExact, page, pageSize}`' })
  @ApiErrors(...CUSTOMER_ERRORS)
  list(@Query() query: CaseListQueryDto): Promise<CaseListView> {
    return this.rpc.send('case-management.case.list', query);
  }

  @Get(':number')
  @ApiParam(CASE_PARAM)
  @ApiOperation({ summary: 'One case with its activity and attachments' })
  @ApiResponse({ status: 200, description: `${CASE_FIELDS} + \`activity\` and \`attachments\`` })
  @ApiErrors(...CUSTOMER_ERRORS, ErrorCode.NotFound)
  get(@Param() { number }: CaseNumberParam): Promise<CaseDetailView> {
    return this.rpc.send('case-management.case.get', { number });
  }

  @Post(':number/comments')
  @HttpCode(HttpStatus.CREATED)
  @ApiParam(CASE_PARAM)
  @ApiOperation({
    summary: 'Comment on a case (CASE-6)',
    description:
      'Sanitised HTML. On a case awaiting the customer, the comment returns it to `in_progress` (CASE-5).',
  })
  @ApiResponse({ status: 201, description: 'The case with its activity' })
  @ApiErrors(...CUSTOMER_ERRORS, ErrorCode.NotFound, ErrorCode.CaseClosed)
  comment(@Param() { number }: CaseNumberParam, @Body() dto: CommentDto): Promise<CaseDetailView> {
    return this.rpc.send('case-management.case.comment', { number, body: dto.body });
  }

  @Post(':number/close')
  @HttpCode(HttpStatus.OK)
  @ApiParam(CASE_PARAM)
  @ApiOperation({ summary: 'Close a case that is not resolved (CASE-5)' })
  @ApiResponse({ status: 200, description: 'The case' })
  @ApiErrors(...CUSTOMER_ERRORS, ErrorCode.NotFound, ErrorCode.InvalidTransition)
  close(@Param() { number }: CaseNumberParam): Promise<CaseSummaryView> {
    return this.rpc.send('case-management.case.close', { number });
  }

  @Post(':number/approve')
  @HttpCode(HttpStatus.OK)
  @ApiParam(CASE_PARAM)
  @ApiOperation({ summary: 'Approve the solution of a resolved case: it closes (CASE-5)' })
  @ApiResponse({ status: 200, description: 'The case' })
  @ApiErrors(...CUSTOMER_ERRORS, ErrorCode.NotFound, ErrorCode.InvalidTransition)
  approve(@Param() { number }: CaseNumberParam): Promise<CaseSummaryView> {
    return this.rpc.send('case-management.case.approve', { number });
  }

  @Post(':number/reject')
  @HttpCode(HttpStatus.OK)
  @ApiParam(CASE_PARAM)
  @ApiOperation({
    summary: 'Reject the solution of a resolved case: back to in progress (CASE-5)',
    description: 'The optional reason is kept as a comment.',
  })
  @ApiResponse({ status: 200, description: 'The case' })
  @ApiErrors(...CUSTOMER_ERRORS, ErrorCode.NotFound, ErrorCode.InvalidTransition)
  reject(@Param() { number }: CaseNumberParam, @Body() dto: RejectSolutionDto): Promise<CaseSummaryView> {
    return this.rpc.send('case-management.case.reject', {
      number,
      ...(dto.reason ? { reason: dto.reason } : {}),
    });
  }
}
