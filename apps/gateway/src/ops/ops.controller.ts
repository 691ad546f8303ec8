import { Body, Controller, Get, HttpCode, HttpStatus, Param, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiParam, ApiResponse, ApiTags } from '@nestjs/swagger';
import {
  CreateTenantDto,
  CreateTenantUserDto,
  ErrorCode,
  TenantNumberParam,
  TenantView,
  UserView,
} from '@app/contracts';
import { RpcClient } from '@app/messaging';
import { ApiErrors } from '../errors/api-errors.decorator';
import { Roles } from '../security/roles.decorator';

/** Errors of every route here: the guards' answers. */
const OPERATOR_ERRORS = [ErrorCode.Unauthorized, ErrorCode.SessionEnded, ErrorCode.Forbidden];

/** Operators' work on tenants (CASE-1): create tenants and their representative admins. */
@ApiTags('operators')
@ApiBearerAuth()
@Roles('operator')
@Controller('ops')
export class OpsController {
  constructor(private readonly rpc: RpcClient) {}

  @Post('tenants')
  @HttpCode(HttpStatus.CREATED)
  @ApiOperation({ summary: 'Create a tenant' })
  @ApiResponse({ status: 201, description: '`{number, name, createdAt}`' })
  @ApiErrors(...OPERATOR_ERRORS, ErrorCode.TenantExists)
  createTenant(@Body() dto: CreateTenantDto): Promise<TenantView> {
    return this.rpc.send('auth.tenant.create', { number: dto.number, name: dto.name });
  }

  @Get('tenants')
  @ApiOperation({ summary: 'List tenants' })
  @ApiResponse({ status: 200, description: '`[{number, name, createdAt}]`' })
  @ApiErrors(...OPERATOR_ERRORS)
  listTenants(): Promise<TenantView[]> {
    return this.rpc.send('auth.tenant.list', {});
  }

  @Post('tenants/:number/users')
  @HttpCode(HttpStatus.CREATED)
  @ApiParam({ name: 'number', description: 'Customer number of the tenant, e.g. N202400003' })
  @ApiOperation({
    summary: "Create a tenant's representative admin",
    description: 'The admin then sets a password through the reset flow (AUTH-14).',
  })
  @ApiResponse({ status: 201, description: 'The user' })
  @ApiErrors(...OPERATOR_ERRORS, ErrorCode.UserIdTaken, ErrorCode.NotFound)
  createTenantUser(
    @Param() { number }: TenantNumberParam,
    @Body() dto: CreateTenantUserDto,
  ): Promise<UserView> {
    return this.rpc.send('auth.tenant.user.create', { ...dto, tenant: number });
  }
}
