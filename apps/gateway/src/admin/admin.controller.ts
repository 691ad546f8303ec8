import { Controller, Get, HttpCode, HttpStatus, Param, Post, Query } from '@nestjs/common';
import { ApiOperation, ApiParam, ApiResponse, ApiTags } from '@nestjs/swagger';
import {
  AuditEventsQueryDto,
  AuditRecordView,
  ErrorCode,
  Principal,
  UserIdParam,
  UserView,
} from '@app/contracts';
import { RpcClient } from '@app/messaging';
import { ApiErrors } from '../errors/api-errors.decorator';
import { CurrentPrincipal } from '../security/current-principal.decorator';
import { TenantAdmin } from '../security/tenant-admin.decorator';

/** Errors of every route here: the guards' answers. */
const ADMIN_ERRORS = [
  ErrorCode.Unauthorized,
  ErrorCode.SessionEnded,
  ErrorCode.Forbidden,
  ErrorCode.TenantSelectionRequired,
];

/** A tenant admin's work, always on the active tenant of the token (AUTH-21, AUDIT-4). */
@ApiTags('tenant admin')
@TenantAdmin()
@Controller('admin')
export class AdminController {
  constructor(private readonly rpc: RpcClient) {}

  @Get('users')
  @ApiOperation({ summary: 'Users of the active tenant' })
  @ApiResponse({ status: 200, description: 'The users' })
  @ApiErrors(...ADMIN_ERRORS)
  listUsers(): Promise<UserView[]> {
    return this.rpc.send('auth.admin.user.list', {});
  }

  @Post('users/:id/unlock')
  @HttpCode(HttpStatus.NO_CONTENT)
  @ApiParam({ name: 'id', description: 'Internal user id (uuid)' })
  @ApiOperation({ summary: 'Unlock a locked user at once (AUTH-3)' })
  @ApiResponse({ status: 204, description: 'Unlocked' })
  @ApiErrors(...ADMIN_ERRORS, ErrorCode.NotFound, ErrorCode.StepUpRequired)
  async unlockUser(@Param() { id }: UserIdParam): Promise<void> {
    await this.rpc.send('auth.admin.user.unlock', { id });
  }

  @Get('audit-events')
  @ApiOperation({ summary: 'Audit events of the active tenant' })
  @ApiResponse({ status: 200, description: 'The events, newest first' })
  @ApiErrors(...ADMIN_ERRORS)
  auditEvents(
    @Query() query: AuditEventsQueryDto,
    @CurrentPrincipal() principal: Principal,
  ): Promise<AuditRecordView[]> {
    // The tenant comes from the verified token only, never from the query string.
    return this.rpc.send('audit-trail.events.query', { ...query, tenant: principal.tenant as string });
  }
}
