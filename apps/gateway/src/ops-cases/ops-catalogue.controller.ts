import { Body, Controller, Get, HttpCode, HttpStatus, Param, Post, Put } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiParam, ApiResponse, ApiTags } from '@nestjs/swagger';
import {
  CategoryCodeParam,
  CategoryDto,
  CategoryView,
  ContractView,
  CreateContractDto,
  CreateServiceDto,
  ErrorCode,
  IdParam,
  ServiceView,
  TenantNumberParam,
  UpdateCategoryDto,
  UpdateContractDto,
} from '@app/contracts';
import { RpcClient } from '@app/messaging';
import { ApiErrors } from '../errors/api-errors.decorator';
import { Roles } from '../security/roles.decorator';

const OPERATOR_ERRORS = [ErrorCode.Unauthorized, ErrorCode.SessionEnded, ErrorCode.Forbidden];

const CONTRACT_FIELDS =
  '`{id, tenant, contractor, service, serviceName:{ja,en}, startDate, licenceType, idCount, settings, createdAt, updatedAt}`';

/** Operators' services, contracts (CASE-1) and categories (CASE-3). */
@ApiTags('operators')
@ApiBearerAuth()
@Roles('operator')
@Controller('ops')
export class OpsCatalogueController {
  constructor(private readonly rpc: RpcClient) {}

  @Post('services')
  @HttpCode(HttpStatus.CREATED)
  @ApiOperation({ summary: 'Define a service tenants can contract (CASE-1)' })
  @ApiResponse({ status: 201, description: '`{code, name:{ja,en}, settingsSchema, createdAt}`' })
  @ApiErrors(...OPERATOR_ERRORS, ErrorCode.Conflict)
  createService(@Body() dto: CreateServiceDto): Promise<ServiceView> {
    return this.rpc.send('case-management.service.create', dto);
  }

  @Get('services')
  @ApiOperation({ summary: 'The services a tenant can contract' })
  @ApiResponse({ status: 200, description: '`[{code, name:{ja,en}, settingsSchema, createdAt}]`' })
  @ApiErrors(...OPERATOR_ERRORS)
  listServices(): Promise<ServiceView[]> {
    return this.rpc.send('case-management.service.list', {});
  }

  @Post('tenants/:number/contracts')
  @HttpCode(HttpStatus.CREATED)
  @ApiParam({ name: 'number', description: 'Customer number of the tenant, e.g. N202400003' })
  @ApiOperation({
    summary: 'Contract a service to a tenant (CASE-1)',
    description:
      "One contract per tenant and service (`409 conflict`); the tenant's name becomes the contractor.",
  })
  @ApiResponse({ status: 201, description: CONTRACT_FIELDS })
  @ApiErrors(...OPERATOR_ERRORS, ErrorCode.NotFound, ErrorCode.Conflict)
  createContract(
    @Param() { number }: TenantNumberParam,
    @Body() dto: CreateContractDto,
  ): Promise<ContractView> {
    return this.rpc.send('case-management.contract.create', { ...dto, tenant: number });
  }

  @Get('tenants/:number/contracts')
  @ApiParam({ name: 'number', description: 'Customer number of the tenant, e.g. N202400003' })
  @ApiOperation({ summary: "A tenant's contracts" })
  @ApiResponse({ status: 200, description: `[${CONTRACT_FIELDS}]` })
  @ApiErrors(...OPERATOR_ERRORS)
  listContracts(@Param() { number }: TenantNumberParam): Promise<ContractView[]> {
    return this.rpc.send('case-management.contract.list', { tenant: number });
  }

  @Put('contracts/:id')
  @ApiParam({ name: 'id', description: 'Contract id' })
  @ApiOperation({ summary: 'Change a contract: start date, licence type, ID count, settings (CASE-1)' })
  @ApiResponse({ status: 200, description: CONTRACT_FIELDS })
  @ApiErrors(...OPERATOR_ERRORS, ErrorCode.NotFound)
  updateContract(@Param() { id }: IdParam, @Body() dto: UpdateContractDto): Promise<ContractView> {
    return this.rpc.send('case-management.contract.update', { ...dto, id });
  }

  @Get('categories')
  @ApiOperation({ summary: 'Case categories (CASE-3)' })
  @ApiResponse({ status: 200, description: '`[{code, label:{ja,en}, customerSelectable}]`' })
  @ApiErrors(...OPERATOR_ERRORS)
  listCategories(): Promise<CategoryView[]> {
    return this.rpc.send('case-management.category.list', {});
  }

  @Post('categories')
  @HttpCode(HttpStatus.CREATED)
  @ApiOperation({ summary: 'Add a case category (CASE-3)' })
  @ApiResponse({ status: 201, description: '`{code, label:{ja,en}, customerSelectable}`' })
  @ApiErrors(...OPERATOR_ERRORS, ErrorCode.Conflict)
  createCategory(@Body() dto: CategoryDto): Promise<CategoryView> {
    return this.rpc.send('case-management.category.create', dto);
  }

  @Put('categories/:code')
  @ApiParam({ name: 'code', description: 'Category code, e.g. fault' })
  @ApiOperation({ summary: 'Relabel a category or change whether customers may choose it (CASE-3)' })
  @ApiResponse({ status: 200, description: '`{code, label:{ja,en}, customerSelectable}`' })
  @ApiErrors(...OPERATOR_ERRORS, ErrorCode.NotFound)
  updateCategory(
    @Param() { code }: CategoryCodeParam,
    @Body() dto: UpdateCategoryDto,
  ): Promise<CategoryView> {
    return this.rpc.send('case-management.category.update', { ...dto, code });
  }
}
