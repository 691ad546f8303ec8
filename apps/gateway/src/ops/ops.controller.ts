import { Body, Controller, Get, HttpCode, HttpStatus, Param, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiParam, ApiResponse, ApiTags } from '@nestjs/swagger';
import {
  AddTenantMemberDto,
  AdminUserView,
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

/** Operators' work on tenants (CASE-1, AUTH-18): tenants, their representative admins and members. */
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

  @Get('tenants/:number/admins')
  @ApiParam({ name: 'number', description: 'Customer number of the tenant, e.g. N202400003' })
  @ApiOperation({
    summary: "A tenant's representative admins (CASE-1)",
    description:
      'Every admin of the tenant, in the order they became its admins, as `POST /ops/tenants/{number}/users` answered them. An unknown tenant is `404 not_found`.',
  })
  @ApiResponse({
    status: 200,
    description:
      '`[{id, userId, email, familyName, givenName, phone, language, timezone, admin, mfaRequired, loginDisabled, locked, createdAt}]`',
  })
  @ApiErrors(...OPERATOR_ERRORS, ErrorCode.NotFound)
  listTenantAdmins(@Param() { number }: TenantNumberParam): Promise<UserView[]> {
    return this.rpc.send('auth.ops.tenant.admins', { number });
  }

  @Post('tenants/:number/members')
  @HttpCode(HttpStatus.CREATED)
  @ApiParam({ name: 'number', description: 'Customer number of the tenant, e.g. N202400003' })
  @ApiOperation({
    summary: 'Add an existing user to another tenant (AUTH-18)',
    description:
      'The user, known by the user ID they log in with, gets a role in this tenant too and can pick it after login. Already a member, or an operator account: `409 conflict`.',
  })
  @ApiResponse({
    status: 201,
    description: 'The user as the tenant admin sees them, with the role in this tenant',
  })
  @ApiErrors(...OPERATOR_ERRORS, ErrorCode.ValidationFailed, ErrorCode.NotFound, ErrorCode.Conflict)
  addTenantMember(
    @Param() { number }: TenantNumberParam,
    @Body() dto: AddTenantMemberDto,
  ): Promise<AdminUserView> {
    return this.rpc.send('auth.tenant.member.add', { userId: dto.userId, admin: dto.admin, tenant: number });
  }
}
