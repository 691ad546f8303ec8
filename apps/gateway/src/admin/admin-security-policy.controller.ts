import { Body, Controller, Get, Put } from '@nestjs/common';
import { ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import { ErrorCode, SecurityPolicyView, UpdateSecurityPolicyDto } from '@app/contracts';
import { RpcClient } from '@app/messaging';
import { ApiErrors } from '../errors/api-errors.decorator';
import { TenantAdmin } from '../security/tenant-admin.decorator';

/** Errors of every route here: the guards' answers. */
const ADMIN_ERRORS = [
  ErrorCode.Unauthorized,
  ErrorCode.SessionEnded,
  ErrorCode.Forbidden,
  ErrorCode.TenantSelectionRequired,
];

/** The active tenant's login security policy: second step for everyone, trusted-browser time (AUTH-5, AUTH-9). */
@ApiTags('tenant admin')
@TenantAdmin()
@Controller('admin')
export class AdminSecurityPolicyController {
  constructor(private readonly rpc: RpcClient) {}

  @Get('security-policy')
  @ApiOperation({ summary: "The active tenant's login security policy" })
  @ApiResponse({ status: 200, type: SecurityPolicyView })
  @ApiErrors(...ADMIN_ERRORS)
  get(): Promise<SecurityPolicyView> {
    return this.rpc.send('auth.admin.security_policy.get', {});
  }

  @Put('security-policy')
  @ApiOperation({
    summary: "Change the active tenant's login security policy",
    description:
      '`mfaAlways: true` asks every user of the tenant for a second step at login. `trustedBrowserDays` ' +
      '(1–90) lets a trusted browser skip it that long; `null` restores the default (8 hours). Absent ' +
      'fields stay as they are. A shorter time also shortens browsers already trusted. Needs step-up.',
  })
  @ApiResponse({ status: 200, type: SecurityPolicyView })
  @ApiErrors(...ADMIN_ERRORS, ErrorCode.StepUpRequired)
  update(@Body() dto: UpdateSecurityPolicyDto): Promise<SecurityPolicyView> {
    return this.rpc.send('auth.admin.security_policy.update', {
      ...(dto.mfaAlways === undefined ? {} : { mfaAlways: dto.mfaAlways }),
      ...(dto.trustedBrowserDays === undefined ? {} : { trustedBrowserDays: dto.trustedBrowserDays }),
    });
  }
}
