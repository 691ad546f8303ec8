import { Body, Controller, HttpCode, HttpStatus, Post } from '@nestjs/common';
import { ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import {
  ErrorCode,
  LoginResult,
  PasskeyLoginDto,
  PasskeyLoginOptions,
  PasskeyLoginOptionsDto,
} from '@app/contracts';
import { RpcClient } from '@app/messaging';
import { ApiErrors } from '../errors/api-errors.decorator';
import { RateLimit } from '../rate-limit/rate-limit.decorator';
import { Public } from '../security/public.decorator';

/** Passkey login (AUTH-10): no password, no code. Rules live in the auth service. */
@ApiTags('auth')
@Public()
@Controller('auth')
export class PasskeyLoginController {
  constructor(private readonly rpc: RpcClient) {}

  @RateLimit('credential', 'body.userId')
  @Post('passkey/options')
  @HttpCode(HttpStatus.OK)
  @ApiOperation({
    summary: 'Start a passkey login: a challenge for navigator.credentials.get()',
    description:
      'With `userId`, the options offer that user’s passkeys; the answer has the same shape for every ' +
      'ID, known or not. Without, any passkey of this site the browser holds (discoverable credentials). ' +
      'The challenge is single use and good for 5 minutes.',
  })
  @ApiResponse({ status: 200, description: '`{flowId, options, expiresAt}`' })
  @ApiErrors()
  options(@Body() dto: PasskeyLoginOptionsDto): Promise<PasskeyLoginOptions> {
    return this.rpc.send(
      'auth.passkey.login.options',
      dto.userId === undefined ? {} : { userId: dto.userId },
    );
  }

  @RateLimit('credential', 'body.flowId')
  @Post('passkey/verify')
  @HttpCode(HttpStatus.OK)
  @ApiOperation({
    summary: 'Finish a passkey login with the browser’s credential',
    description: 'No second step follows a passkey (AUTH-5): the answer is `authenticated` with tokens.',
  })
  @ApiResponse({ status: 200, description: '`{status:"authenticated", …}`' })
  @ApiErrors(ErrorCode.PasskeyInvalid, ErrorCode.AccountLocked, ErrorCode.LoginDisabled)
  verify(@Body() dto: PasskeyLoginDto): Promise<LoginResult> {
    return this.rpc.send('auth.passkey.login.verify', { flowId: dto.flowId, credential: dto.credential });
  }
}
