import { Body, Controller, Get, HttpCode, HttpStatus, Patch, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import { ChangePasswordDto, ErrorCode, MeSecurityView, MeView, UpdateProfileDto } from '@app/contracts';
import { RpcClient } from '@app/messaging';
import { ApiErrors } from '../errors/api-errors.decorator';

/** Errors of every route here: the guards' answers. */
const SIGNED_IN_ERRORS = [ErrorCode.Unauthorized, ErrorCode.SessionEnded];

/** Profile, password change and MFA state of the caller (AUTH-17, AUTH-20). */
@ApiTags('me')
@ApiBearerAuth()
@Controller('me')
export class MeProfileController {
  constructor(private readonly rpc: RpcClient) {}

  @Get()
  @ApiOperation({ summary: 'Your account: names, contact details, language, time zone, tenants' })
  @ApiResponse({
    status: 200,
    description:
      '`{id, userId, familyName, givenName, displayName, email, phone, officePhone, language, timezone, tenants, activeTenant}`',
  })
  @ApiErrors(...SIGNED_IN_ERRORS)
  get(): Promise<MeView> {
    return this.rpc.send('auth.me.get', {});
  }

  @Patch()
  @ApiOperation({
    summary: 'Change your profile (AUTH-20)',
    description:
      'Only the fields given change. A new e-mail takes effect at once. Changing the e-mail or the ' +
      'phone needs a fresh second step (`403 step_up_required`). `phone: null` removes the phone and ' +
      'switches SMS codes off, with a notice by e-mail (AUTH-19). Messages to you use `language`.',
  })
  @ApiResponse({ status: 200, description: 'Your account as after the change' })
  @ApiErrors(...SIGNED_IN_ERRORS, ErrorCode.StepUpRequired, ErrorCode.Conflict)
  update(@Body() dto: UpdateProfileDto): Promise<MeView> {
    // Only what the client sent: an absent field is no change, `null` clears (display name, phone).
    const fields: UpdateProfileDto = {};
    if (dto.displayName !== undefined) {
      fields.displayName = dto.displayName;
    }
    if (dto.email !== undefined) {
      fields.email = dto.email;
    }
    if (dto.phone !== undefined) {
      fields.phone = dto.phone;
    }
    if (dto.language !== undefined) {
      fields.language = dto.language;
    }
    if (dto.timezone !== undefined) {
      fields.timezone = dto.timezone;
    }
    return this.rpc.send('auth.me.update', fields);
  }

  @Post('password')
  @HttpCode(HttpStatus.NO_CONTENT)
  @ApiOperation({
    summary: 'Change your password (AUTH-17)',
    description:
      'Needs a fresh second step. A wrong current password counts toward the lockout (AUTH-3). On ' +
      'success every other session of yours ends; this one goes on, and a notice is e-mailed.',
  })
  @ApiResponse({ status: 204, description: 'Password changed' })
  @ApiErrors(
    ...SIGNED_IN_ERRORS,
    ErrorCode.StepUpRequired,
    ErrorCode.InvalidCredentials,
    ErrorCode.AccountLocked,
    ErrorCode.PasswordPolicy,
  )
  async changePassword(@Body() dto: ChangePasswordDto): Promise<void> {
    await this.rpc.send('auth.me.password.change', {
      currentPassword: dto.currentPassword,
      newPassword: dto.newPassword,
      ...(dto.confirmation === undefined ? {} : { confirmation: dto.confirmation }),
    });
  }

  @Get('security')
  @ApiOperation({ summary: 'The state of your sign-in methods' })
  @ApiResponse({
    status: 200,
    description:
      '`{mfaEnabled, sms:{available, disabledReason}, email:{address, undeliverable}, totp:{enabled}, passkeys, trustedBrowsers}`',
  })
  @ApiErrors(...SIGNED_IN_ERRORS)
  security(): Promise<MeSecurityView> {
    return this.rpc.send('auth.me.security', {});
  }
}
