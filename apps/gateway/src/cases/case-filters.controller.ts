import { Body, Controller, Delete, Get, HttpCode, HttpStatus, Param, Post, Put, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiParam, ApiResponse, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { CaseFilterView, ErrorCode, IdParam, SaveCaseFilterDto } from '@app/contracts';
import { RpcClient } from '@app/messaging';
import { ApiErrors } from '../errors/api-errors.decorator';
import { RequireTenant } from '../security/require-tenant.decorator';
import { Roles } from '../security/roles.decorator';

const CUSTOMER_ERRORS = [
  ErrorCode.Unauthorized,
  ErrorCode.SessionEnded,
  ErrorCode.Forbidden,
  ErrorCode.TenantSelectionRequired,
];

const FILTER_FIELDS = '`{id, name, visibility, owner:{id,name}, view, q, filter, sort}`';

/** Saved case filters of the active tenant (CASE-8). */
@ApiTags('cases')
@ApiBearerAuth()
@RequireTenant()
@Roles('admin', 'user')
@Controller('case-filters')
export class CaseFiltersController {
  constructor(private readonly rpc: RpcClient) {}

  @Get()
  @ApiOperation({ summary: "The caller's private filters and the tenant's shared ones" })
  @ApiResponse({ status: 200, description: `[${FILTER_FIELDS}]` })
  @ApiErrors(...CUSTOMER_ERRORS)
  list(): Promise<CaseFilterView[]> {
    return this.rpc.send('case-management.case_filter.list', {});
  }

  @Post()
  @ApiOperation({
    summary: 'Save a filter',
    description:
      'The same name and visibility overwrites (`200`); a tenant filter only by its creator or a tenant admin (`403`). The filter, sort and q are checked as `GET /cases` checks them.',
  })
  @ApiResponse({ status: 201, description: `Created: ${FILTER_FIELDS}` })
  @ApiResponse({ status: 200, description: 'Overwritten' })
  @ApiErrors(...CUSTOMER_ERRORS, ErrorCode.QueryTooShort)
  async save(
    @Body() dto: SaveCaseFilterDto,
    @Res({ passthrough: true }) res: Response,
  ): Promise<CaseFilterView> {
    const saved = await this.rpc.send('case-management.case_filter.save', dto);
    res.status(saved.created ? HttpStatus.CREATED : HttpStatus.OK);
    return saved.filter;
  }

  @Put(':id')
  @ApiParam({ name: 'id', description: "Filter id; another user's private filter is 404" })
  @ApiOperation({ summary: 'Change a filter (its creator, or a tenant admin for a shared one)' })
  @ApiResponse({ status: 200, description: FILTER_FIELDS })
  @ApiErrors(...CUSTOMER_ERRORS, ErrorCode.NotFound, ErrorCode.Conflict, ErrorCode.QueryTooShort)
  update(@Param() { id }: IdParam, @Body() dto: SaveCaseFilterDto): Promise<CaseFilterView> {
    return this.rpc.send('case-management.case_filter.update', { ...dto, id });
  }

  @Delete(':id')
  @HttpCode(HttpStatus.NO_CONTENT)
  @ApiParam({ name: 'id', description: "Filter id; another user's private filter is 404" })
  @ApiOperation({ summary: 'Delete a filter (its creator, or a tenant admin for a shared one)' })
  @ApiResponse({ status: 204, description: 'Deleted' })
  @ApiErrors(...CUSTOMER_ERRORS, ErrorCode.NotFound)
  async delete(@Param() { id }: IdParam): Promise<void> {
    await this.rpc.send('case-management.case_filter.delete', { id });
  }
}
