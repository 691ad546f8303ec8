import {
  Body,
  Controller,
  Get,
  HttpCode,
  HttpStatus,
  Param,
  Patch,
  Post,
  Put,
  Query,
  Res,
  StreamableFile,
} from '@nestjs/common';
import type { Response } from 'express';
import { ApiOkResponse, ApiOperation, ApiParam, ApiProduces, ApiResponse, ApiTags } from '@nestjs/swagger';
import {
  AdminChangeUserIdDto,
  AdminNotificationEmailDto,
  AdminSuggestedUserIdQuery,
  AdminUserView,
  AuditEventsQueryDto,
  AuditRecordView,
  CreateAdminUserDto,
  ErrorCode,
  Principal,
  SuggestedUserIdView,
  UpdateAdminUserDto,
  UserIdParam,
} from '@app/contracts';
import { RpcClient } from '@app/messaging';
import {
  AUDIT_EVENTS_DESCRIPTION,
  AUDIT_EVENTS_RESPONSE,
  AUDIT_EXPORT_TYPES,
  AuditEventsExporter,
} from '../audit/audit-events-export.service';
import { AUDIT_FILE_FORMATS, FILES_COOKIE } from '../attachments/files-cookie';
import { ApiErrors } from '../errors/api-errors.decorator';
import { CurrentPrincipal } from '../security/current-principal.decorator';
import { BearerFromCookie } from '../security/public.decorator';
import { TenantAdmin } from '../security/tenant-admin.decorator';

/** Errors of every route here: the guards' answers. */
const ADMIN_ERRORS = [
  ErrorCode.Unauthorized,
  ErrorCode.SessionEnded,
  ErrorCode.Forbidden,
  ErrorCode.TenantSelectionRequired,
];

/** Errors of every change to a user: the user must be in the active tenant, and a fresh second step (AUTH-12). */
const USER_CHANGE_ERRORS = [
  ...ADMIN_ERRORS,
  ErrorCode.ValidationFailed,
  ErrorCode.NotFound,
  ErrorCode.StepUpRequired,
];

const USER_ID_PARAM = { name: 'id', description: 'Internal user id (uuid); a user of another tenant is 404' };

/** A tenant admin's work, always on the active tenant of the token (AUTH-21, AUDIT-4). */
@ApiTags('tenant admin')
@TenantAdmin()
@Controller('admin')
export class AdminController {
  constructor(
    private readonly rpc: RpcClient,
    private readonly auditExports: AuditEventsExporter,
  ) {}

  @Get('users')
  @ApiOperation({ summary: 'Users of the active tenant' })
  @ApiResponse({
    status: 200,
    description:
      'The users: `[{id, userId, email, familyName, givenName, displayName, title, phone, officePhone, language, timezone, admin, mfaRequired, loginDisabled, locked, emailUndeliverable, notificationEmail, createdAt}]`',
  })
  @ApiErrors(...ADMIN_ERRORS)
  listUsers(): Promise<AdminUserView[]> {
    return this.rpc.send('auth.admin.user.list', {});
  }

  // Declared before `users/:id`, which would otherwise take `suggested-id` for an id.
  @Get('users/suggested-id')
  @ApiOperation({
    summary: 'The user ID suggested for an e-mail address (AUTH-1)',
    description: 'The address + `.fm`; an address of 38+ characters is cut to its first 37 before `.fm`.',
  })
  @ApiResponse({ status: 200, description: '`{userId}`' })
  @ApiErrors(...ADMIN_ERRORS, ErrorCode.ValidationFailed)
  suggestedUserId(@Query() query: AdminSuggestedUserIdQuery): Promise<SuggestedUserIdView> {
    return this.rpc.send('auth.admin.user.suggest_id', { email: query.email });
  }

  @Post('users')
  @HttpCode(HttpStatus.CREATED)
  @ApiOperation({
    summary: 'Create a user of the active tenant (AUTH-21)',
    description:
      'Without `userId` the suggested ID is used. The user has no password yet: they set one through the reset flow (AUTH-14). An admin needs `initialPassword`, asked once at their first login; nobody else may get one.',
  })
  @ApiResponse({ status: 201, description: 'The user, as in the list' })
  @ApiErrors(
    ...ADMIN_ERRORS,
    ErrorCode.ValidationFailed,
    ErrorCode.PasswordPolicy,
    ErrorCode.UserIdTaken,
    ErrorCode.StepUpRequired,
  )
  createUser(@Body() dto: CreateAdminUserDto): Promise<AdminUserView> {
    return this.rpc.send('auth.admin.user.create', dto);
  }

  @Get('users/:id')
  @ApiParam(USER_ID_PARAM)
  @ApiOperation({ summary: 'One user of the active tenant' })
  @ApiResponse({ status: 200, description: 'The user, as in the list' })
  @ApiErrors(...ADMIN_ERRORS, ErrorCode.ValidationFailed, ErrorCode.NotFound)
  getUser(@Param() { id }: UserIdParam): Promise<AdminUserView> {
    return this.rpc.send('auth.admin.user.get', { id });
  }

  @Patch('users/:id')
  @ApiParam(USER_ID_PARAM)
  @ApiOperation({
    summary: 'Edit a user of the active tenant (AUTH-21)',
    description:
      'Only the fields given change; `null` clears an optional one. A new e-mail address clears its undeliverable mark (NOTIF-6). An admin cannot take away their own admin role (`409 conflict`).',
  })
  @ApiResponse({ status: 200, description: 'The user, as in the list' })
  @ApiErrors(...USER_CHANGE_ERRORS, ErrorCode.Conflict)
  updateUser(@Param() { id }: UserIdParam, @Body() dto: UpdateAdminUserDto): Promise<AdminUserView> {
    return this.rpc.send('auth.admin.user.update', { ...dto, id });
  }

  @Put('users/:id/user-id')
  @ApiParam(USER_ID_PARAM)
  @ApiOperation({ summary: "Change a user's ID: 1–40 characters, unique across all tenants (AUTH-1)" })
  @ApiResponse({ status: 200, description: 'The user, as in the list' })
  @ApiErrors(...USER_CHANGE_ERRORS, ErrorCode.UserIdTaken)
  changeUserId(@Param() { id }: UserIdParam, @Body() dto: AdminChangeUserIdDto): Promise<AdminUserView> {
    return this.rpc.send('auth.admin.user.change_user_id', { userId: dto.userId, id });
  }

  @Post('users/:id/disable')
  @HttpCode(HttpStatus.NO_CONTENT)
  @ApiParam(USER_ID_PARAM)
  @ApiOperation({
    summary: "Disable a user's login (AUTH-4)",
    description:
      'Every session of the user ends at once. Users are never deleted. An admin cannot disable their own login (`409 conflict`).',
  })
  @ApiResponse({ status: 204, description: 'Disabled' })
  @ApiErrors(...USER_CHANGE_ERRORS, ErrorCode.Conflict)
  async disableUser(@Param() { id }: UserIdParam): Promise<void> {
    await this.rpc.send('auth.admin.user.disable', { id });
  }

  @Post('users/:id/enable')
  @HttpCode(HttpStatus.NO_CONTENT)
  @ApiParam(USER_ID_PARAM)
  @ApiOperation({ summary: "Enable a user's login again (AUTH-4)" })
  @ApiResponse({ status: 204, description: 'Enabled' })
  @ApiErrors(...USER_CHANGE_ERRORS)
  async enableUser(@Param() { id }: UserIdParam): Promise<void> {
    await this.rpc.send('auth.admin.user.enable', { id });
  }

  @Post('users/:id/unlock')
  @HttpCode(HttpStatus.NO_CONTENT)
  @ApiParam(USER_ID_PARAM)
  @ApiOperation({ summary: 'Unlock a locked user at once (AUTH-3)' })
  @ApiResponse({ status: 204, description: 'Unlocked' })
  @ApiErrors(...USER_CHANGE_ERRORS)
  async unlockUser(@Param() { id }: UserIdParam): Promise<void> {
    await this.rpc.send('auth.admin.user.unlock', { id });
  }

  @Put('users/:id/notification-email')
  @ApiParam(USER_ID_PARAM)
  @ApiOperation({
    summary: "Set the user's notification address in this tenant (AUTH-7)",
    description:
      "While set, the user's security codes by e-mail go to this address only; `null` removes it, and codes go to every contact address of the account again.",
  })
  @ApiResponse({ status: 200, description: 'The user, as in the list' })
  @ApiErrors(...USER_CHANGE_ERRORS)
  setNotificationEmail(
    @Param() { id }: UserIdParam,
    @Body() dto: AdminNotificationEmailDto,
  ): Promise<AdminUserView> {
    return this.rpc.send('auth.admin.user.notification_email', { email: dto.email, id });
  }

  @Post('users/:id/email-deliverable')
  @HttpCode(HttpStatus.NO_CONTENT)
  @ApiParam(USER_ID_PARAM)
  @ApiOperation({
    summary: "Clear the undeliverable mark of the user's e-mail address (NOTIF-6)",
    description: 'Codes by e-mail are sent to the address again.',
  })
  @ApiResponse({ status: 204, description: 'Cleared' })
  @ApiErrors(...USER_CHANGE_ERRORS)
  async markEmailDeliverable(@Param() { id }: UserIdParam): Promise<void> {
    await this.rpc.send('auth.admin.user.email_deliverable', { id });
  }

  @Get('audit-events')
  // A file is saved by following a plain link, which carries the files session's cookie; a page is not.
  @BearerFromCookie(FILES_COOKIE, { formats: AUDIT_FILE_FORMATS })
  @ApiOperation({
    summary: 'Audit events of the active tenant (AUDIT-4)',
    description: AUDIT_EVENTS_DESCRIPTION,
  })
  @ApiProduces(...AUDIT_EXPORT_TYPES)
  @ApiOkResponse(AUDIT_EVENTS_RESPONSE)
  @ApiErrors(...ADMIN_ERRORS, ErrorCode.ValidationFailed)
  auditEvents(
    @Query() query: AuditEventsQueryDto,
    @CurrentPrincipal() principal: Principal,
    @Res({ passthrough: true }) res: Response,
  ): Promise<AuditRecordView[] | StreamableFile> {
    // The tenant comes from the verified token only, never from the query string.
    return this.auditExports.answer(query, principal.tenant as string, res);
  }
}
