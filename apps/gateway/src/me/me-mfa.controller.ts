import { Body, Controller, Delete, Get, HttpCode, HttpStatus, Param, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiParam, ApiResponse, ApiTags } from '@nestjs/swagger';
import {
  ApproverIdParam,
  ApproverRegisteredView,
  ApproverView,
  ErrorCode,
  RegisterApproverDto,
  TotpConfirmDto,
  TotpEnrolmentView,
} from '@app/contracts';
import { RpcClient } from '@app/messaging';
import { ApiErrors } from '../errors/api-errors.decorator';

/** Authenticator app and approver app of the caller (AUTH-8, AUTH-13). */
@ApiTags('me')
@ApiBearerAuth()
@Controller('me')
export class MeMfaController {
  constructor(private readonly rpc: RpcClient) {}

  @Post('mfa/totp')
  @HttpCode(HttpStatus.CREATED)
  @ApiOperation({
    summary: 'Start enrolling an authenticator app (AUTH-8); step-up',
    description:
      'Answers a new secret, its `otpauth://` URI and the URI as a QR code (PNG data URL), shown once. ' +
      'The app is used only after `POST /me/mfa/totp/confirm`. Enrolling again before confirming ' +
      'replaces the pending secret; while an app is enabled the answer is `409 conflict` (disable first).',
  })
  @ApiResponse({ status: 201, type: TotpEnrolmentView })
  @ApiErrors(ErrorCode.Unauthorized, ErrorCode.StepUpRequired, ErrorCode.Conflict, ErrorCode.SessionEnded)
  enrol(): Promise<TotpEnrolmentView> {
    return this.rpc.send('auth.me.totp.enrol', {});
  }

  @Post('mfa/totp/confirm')
  @HttpCode(HttpStatus.NO_CONTENT)
  @ApiOperation({ summary: 'Enable the enrolled authenticator app with one code it shows (AUTH-8)' })
  @ApiResponse({ status: 204, description: 'Enabled; the app is offered at login from now on' })
  @ApiErrors(ErrorCode.Unauthorized, ErrorCode.InvalidCode, ErrorCode.Conflict, ErrorCode.SessionEnded)
  async confirm(@Body() dto: TotpConfirmDto): Promise<void> {
    await this.rpc.send('auth.me.totp.confirm', { code: dto.code });
  }

  @Delete('mfa/totp')
  @HttpCode(HttpStatus.NO_CONTENT)
  @ApiOperation({ summary: 'Remove the authenticator app (AUTH-8); step-up' })
  @ApiResponse({ status: 204, description: 'Removed' })
  @ApiErrors(ErrorCode.Unauthorized, ErrorCode.StepUpRequired, ErrorCode.NotFound, ErrorCode.SessionEnded)
  async disable(): Promise<void> {
    await this.rpc.send('auth.me.totp.disable', {});
  }

  @Post('mfa/approver')
  @HttpCode(HttpStatus.CREATED)
  @ApiOperation({
    summary: 'Register a phone app as approver (AUTH-13); step-up',
    description:
      'Answers the approver token once; the app sends it as header `X-Approver-Token` to ' +
      '`/approver/requests`. Only its HMAC is kept.',
  })
  @ApiResponse({ status: 201, type: ApproverRegisteredView })
  @ApiErrors(ErrorCode.Unauthorized, ErrorCode.StepUpRequired, ErrorCode.SessionEnded)
  register(@Body() dto: RegisterApproverDto): Promise<ApproverRegisteredView> {
    return this.rpc.send('auth.me.approver.register', { name: dto.name });
  }

  @Get('mfa/approvers')
  @ApiOperation({ summary: 'The approver apps of the caller (AUTH-13)' })
  @ApiResponse({ status: 200, type: [ApproverView] })
  @ApiErrors(ErrorCode.Unauthorized, ErrorCode.SessionEnded)
  list(): Promise<ApproverView[]> {
    return this.rpc.send('auth.me.approver.list', {});
  }

  @Delete('mfa/approvers/:id')
  @HttpCode(HttpStatus.NO_CONTENT)
  @ApiParam({ name: 'id', format: 'uuid' })
  @ApiOperation({ summary: 'Revoke an approver app (AUTH-13); step-up' })
  @ApiResponse({ status: 204, description: 'Revoked; its token is refused from now on' })
  @ApiErrors(ErrorCode.Unauthorized, ErrorCode.StepUpRequired, ErrorCode.NotFound, ErrorCode.SessionEnded)
  async remove(@Param() { id }: ApproverIdParam): Promise<void> {
    await this.rpc.send('auth.me.approver.remove', { id });
  }
}
