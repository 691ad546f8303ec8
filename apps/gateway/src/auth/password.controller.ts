import { Body, Controller, Get, HttpCode, HttpStatus, Param, Post } from '@nestjs/common';
import { ApiOperation, ApiParam, ApiResponse, ApiTags } from '@nestjs/swagger';
import {
  ErrorCode,
  PasswordPolicyView,
  PasswordResetCompleteDto,
  PasswordResetInspection,
  PasswordResetRequestDto,
  ResetTokenParam,
} from '@app/contracts';
import { RpcClient } from '@app/messaging';
import { ApiErrors } from '../errors/api-errors.decorator';
import { RateLimit } from '../rate-limit/rate-limit.decorator';
import { Public } from '../security/public.decorator';

/** Password policy and the reset flow (AUTH-2, AUTH-16). */
@ApiTags('passwords')
@Public()
@Controller('auth')
export class PasswordController {
  constructor(private readonly rpc: RpcClient) {}

  @Get('password-policy')
  @ApiOperation({ summary: 'The password policy in force (AUTH-2)' })
  @ApiResponse({ status: 200, description: '`{minLength, maxLength, symbols, rules}`' })
  @ApiErrors()
  policy(): Promise<PasswordPolicyView> {
    return this.rpc.send('auth.password.policy', {});
  }

  @RateLimit('credential', 'body.userId')
  @Post('password-reset')
  @HttpCode(HttpStatus.ACCEPTED)
  @ApiOperation({
    summary: 'Request a reset link',
    description:
      'Always `202 {"status":"accepted"}` whatever the input (no enumeration); the e-mail tells the real outcome.',
  })
  @ApiResponse({ status: 202, description: '`{"status":"accepted"}`' })
  @ApiErrors()
  async requestReset(@Body() dto: PasswordResetRequestDto): Promise<{ status: 'accepted' }> {
    await this.rpc.send('auth.password_reset.request', { userId: dto.userId, email: dto.email });
    // The same answer whatever the service found (AUTH-16), written here so it cannot drift.
    return { status: 'accepted' };
  }

  @RateLimit('credential', 'param.token')
  @Get('password-reset/:token')
  @ApiParam({ name: 'token', description: 'The token of the reset link' })
  @ApiOperation({ summary: 'Inspect a reset link: the user ID and whether the account is locked' })
  @ApiResponse({ status: 200, description: '`{userId, locked}`' })
  @ApiErrors(ErrorCode.ResetTokenInvalid)
  inspect(@Param() { token }: ResetTokenParam): Promise<PasswordResetInspection> {
    return this.rpc.send('auth.password_reset.inspect', { token });
  }

  @RateLimit('credential', 'param.token')
  @Post('password-reset/:token')
  @HttpCode(HttpStatus.NO_CONTENT)
  @ApiParam({ name: 'token', description: 'The token of the reset link' })
  @ApiOperation({ summary: 'Set a new password with a reset link (single use)' })
  @ApiResponse({ status: 204, description: 'Password set; every session of the user ended' })
  @ApiErrors(ErrorCode.PasswordPolicy, ErrorCode.ResetTokenInvalid)
  async complete(@Param() { token }: ResetTokenParam, @Body() dto: PasswordResetCompleteDto): Promise<void> {
    await this.rpc.send('auth.password_reset.complete', { token, newPassword: dto.newPassword });
  }
}
