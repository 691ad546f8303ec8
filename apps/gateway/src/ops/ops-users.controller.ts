import { Body, Controller, HttpCode, HttpStatus, Param, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiParam, ApiResponse, ApiTags } from '@nestjs/swagger';
import { ErrorCode, MfaResetDto, PhoneLineCancelledDto, UserIdParam } from '@app/contracts';
import { RpcClient } from '@app/messaging';
import { ApiErrors } from '../errors/api-errors.decorator';
import { Roles } from '../security/roles.decorator';

/** Errors of every route here: the guards' answers, the operator's step-up, an unknown user. */
const OPERATOR_USER_ERRORS = [
  ErrorCode.Unauthorized,
  ErrorCode.SessionEnded,
  ErrorCode.Forbidden,
  ErrorCode.StepUpRequired,
  ErrorCode.NotFound,
];

/** Operators' work on users: MFA reset after an identity check (AUTH-19). */
@ApiTags('operators')
@ApiBearerAuth()
@Roles('operator')
@Controller('ops')
export class OpsUsersController {
  constructor(private readonly rpc: RpcClient) {}

  @Post('users/:id/mfa-reset')
  @HttpCode(HttpStatus.NO_CONTENT)
  @ApiParam({ name: 'id', description: 'Internal user id (uuid)' })
  @ApiOperation({
    summary: "Reset a user's MFA after an identity check (AUTH-19)",
    description:
      'Every identity field given must match the account, else `422 identity_check_failed` with ' +
      '`details.fields` and nothing changes. The reset removes the authenticator app and approver ' +
      'apps and voids every trusted browser; SMS codes come back on when the phone was confirmed. ' +
      'Audited under the case number; the user gets a notice by e-mail. Needs a fresh second step.',
  })
  @ApiResponse({ status: 204, description: 'MFA reset' })
  @ApiErrors(...OPERATOR_USER_ERRORS, ErrorCode.IdentityCheckFailed)
  async resetMfa(@Param() { id }: UserIdParam, @Body() dto: MfaResetDto): Promise<void> {
    await this.rpc.send('auth.ops.user.mfa_reset', {
      id,
      caseNumber: dto.caseNumber,
      email: dto.email,
      familyName: dto.familyName,
      company: dto.company,
      ...(dto.givenName === undefined ? {} : { givenName: dto.givenName }),
      ...(dto.phone === undefined ? {} : { phone: dto.phone }),
    });
  }

  @Post('users/:id/phone-line-cancelled')
  @HttpCode(HttpStatus.NO_CONTENT)
  @ApiParam({ name: 'id', description: 'Internal user id (uuid)' })
  @ApiOperation({
    summary: "The carrier's notice that a user's phone line was cancelled (AUTH-19)",
    description:
      'SMS codes are switched off and the user gets a notice at their contact e-mail. `409 conflict` ' +
      'when the user has no phone or `phone` is not the registered number. A repeated notice is ' +
      'answered 204 and changes nothing. Needs a fresh second step.',
  })
  @ApiResponse({ status: 204, description: 'SMS codes are off for the user' })
  @ApiErrors(...OPERATOR_USER_ERRORS, ErrorCode.Conflict)
  async phoneLineCancelled(@Param() { id }: UserIdParam, @Body() dto: PhoneLineCancelledDto): Promise<void> {
    await this.rpc.send('auth.ops.user.phone_line_cancelled', {
      id,
      ...(dto.phone === undefined ? {} : { phone: dto.phone }),
    });
  }
}
