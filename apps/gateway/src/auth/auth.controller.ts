import { Body, Controller, HttpCode, HttpStatus, Inject, Param, Post, Req, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiParam, ApiResponse, ApiTags } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { APP_CONFIG, GatewayEnv } from '@app/config';
import {
  AuthenticatedResult,
  ChallengeDto,
  ChallengeResult,
  ErrorCode,
  InitialPasswordDto,
  LoginDto,
  LoginResult,
  LogoutDto,
  RefreshDto,
  SelectTenantDto,
  VerifyDto,
} from '@app/contracts';
import { RpcClient } from '@app/messaging';
import { ApiErrors } from '../errors/api-errors.decorator';
import { RateLimit } from '../rate-limit/rate-limit.decorator';
import { Public, PublicWithOptionalBearer } from '../security/public.decorator';
import { deviceTokenFromCookie, setDeviceCookie } from './device-cookie.util';
import { FlowIdParam } from './flow-id.param';

/** Login, second step, tokens and tenant choice (AUTH-3…AUTH-18). Rules live in the auth service. */
@ApiTags('auth')
@Controller('auth')
export class AuthController {
  constructor(
    private readonly rpc: RpcClient,
    @Inject(APP_CONFIG) private readonly config: GatewayEnv,
  ) {}

  @Public()
  @RateLimit('credential', 'body.userId')
  @Post('login')
  @HttpCode(HttpStatus.OK)
  @ApiOperation({
    summary: 'Password step of a login',
    description:
      'Answers `authenticated` with tokens, or `second_factor_required` with a flow id and the methods. ' +
      'The trusted-browser token may come in the body or as cookie `mamori_device`.',
  })
  @ApiResponse({
    status: 200,
    description:
      '`{status:"authenticated", …}` or `{status:"second_factor_required", flowId, expiresAt, methods}`',
  })
  @ApiErrors(ErrorCode.InvalidCredentials, ErrorCode.AccountLocked, ErrorCode.LoginDisabled)
  login(@Body() dto: LoginDto, @Req() req: Request): Promise<LoginResult> {
    const deviceToken = dto.deviceToken ?? deviceTokenFromCookie(req);
    return this.rpc.send('auth.login.password', {
      userId: dto.userId,
      password: dto.password,
      ...(deviceToken === undefined ? {} : { deviceToken }),
    });
  }

  @Public()
  @RateLimit('credential', 'param.flowId')
  @Post('login/:flowId/challenge')
  @ApiParam({ name: 'flowId', description: 'The flow id from the password step', format: 'uuid' })
  @HttpCode(HttpStatus.ACCEPTED)
  @ApiOperation({ summary: 'Send a security code (or a push approval) for a login flow' })
  @ApiResponse({ status: 202, description: '`{method, destination, expiresAt, resendAfter, sentAt?}`' })
  @ApiErrors(
    ErrorCode.ResendTooSoon,
    ErrorCode.SmsUnavailable,
    ErrorCode.EmailUnavailable,
    ErrorCode.FlowExpired,
    ErrorCode.MethodNotAvailable,
    ErrorCode.TooManyMessages,
  )
  challenge(@Param() { flowId }: FlowIdParam, @Body() dto: ChallengeDto): Promise<ChallengeResult> {
    return this.rpc.send('auth.login.challenge', { flowId, method: dto.method });
  }

  @PublicWithOptionalBearer()
  @RateLimit('credential', 'param.flowId')
  @Post('login/:flowId/verify')
  @ApiParam({ name: 'flowId', description: 'The flow id from the password step', format: 'uuid' })
  @HttpCode(HttpStatus.OK)
  @ApiOperation({
    summary: 'Verify the second step of a login or step-up flow',
    description:
      'With `trustBrowser`, the answer carries `deviceToken` and sets the httpOnly cookie `mamori_device`. ' +
      'The verify of a step-up flow needs the access token of the session that was asked for it ' +
      '(`401 unauthorized` without one).',
  })
  @ApiResponse({
    status: 200,
    description: '`{status:"authenticated", …}` or `{status:"initial_password_required", flowId}`',
  })
  @ApiErrors(
    ErrorCode.InvalidCode,
    ErrorCode.CodeExpired,
    ErrorCode.FlowExpired,
    ErrorCode.AccountLocked,
    ErrorCode.MethodNotAvailable,
  )
  async verify(
    @Param() { flowId }: FlowIdParam,
    @Body() dto: VerifyDto,
    @Req() req: Request,
    @Res({ passthrough: true }) res: Response,
  ): Promise<LoginResult> {
    const result = await this.rpc.send('auth.login.verify', {
      flowId,
      method: dto.method,
      ...(dto.code === undefined ? {} : { code: dto.code }),
      ...(dto.trustBrowser === undefined ? {} : { trustBrowser: { name: dto.trustBrowser.name } }),
    });
    if (result.status === 'authenticated' && result.deviceToken) {
      setDeviceCookie(req, res, result.deviceToken, this.config.NODE_ENV === 'production');
    }
    return result;
  }

  @Public()
  @RateLimit('credential', 'param.flowId')
  @Post('login/:flowId/initial-password')
  @ApiParam({ name: 'flowId', description: 'The flow id from the verify step', format: 'uuid' })
  @HttpCode(HttpStatus.OK)
  @ApiOperation({
    summary: 'Enter the initial authentication password (AUTH-14)',
    description:
      'After `initial_password_required`: an admin registered by another admin enters the initial ' +
      'authentication password chosen by that admin, once.',
  })
  @ApiResponse({ status: 200, description: '`{status:"authenticated", …}`' })
  @ApiErrors(ErrorCode.InvalidCredentials, ErrorCode.FlowExpired, ErrorCode.AccountLocked)
  async initialPassword(
    @Param() { flowId }: FlowIdParam,
    @Body() dto: InitialPasswordDto,
    @Req() req: Request,
    @Res({ passthrough: true }) res: Response,
  ): Promise<LoginResult> {
    const result = await this.rpc.send('auth.login.initial_password', {
      flowId,
      initialPassword: dto.initialPassword,
    });
    if (result.status === 'authenticated' && result.deviceToken) {
      setDeviceCookie(req, res, result.deviceToken, this.config.NODE_ENV === 'production');
    }
    return result;
  }

  @Public()
  @Post('refresh')
  @HttpCode(HttpStatus.OK)
  @ApiOperation({ summary: 'Rotate the refresh token: a new access and refresh token pair' })
  @ApiResponse({ status: 200, description: '`{status:"authenticated", …}`' })
  @ApiErrors(ErrorCode.RefreshTokenReused, ErrorCode.RefreshTokenInvalid, ErrorCode.SessionEnded)
  refresh(@Body() dto: RefreshDto): Promise<AuthenticatedResult> {
    return this.rpc.send('auth.token.refresh', { refreshToken: dto.refreshToken });
  }

  @Post('logout')
  @HttpCode(HttpStatus.NO_CONTENT)
  @ApiBearerAuth()
  @ApiOperation({ summary: 'End this session, or with `all: true` every session of the user' })
  @ApiResponse({ status: 204, description: 'Logged out' })
  @ApiErrors(ErrorCode.Unauthorized, ErrorCode.SessionEnded)
  async logout(@Body() dto: LogoutDto): Promise<void> {
    await this.rpc.send('auth.logout', dto.all === undefined ? {} : { all: dto.all });
  }

  @Post('tenant')
  @HttpCode(HttpStatus.OK)
  @ApiBearerAuth()
  @ApiOperation({ summary: 'Pick or switch the active tenant: new tokens for it (AUTH-18)' })
  @ApiResponse({ status: 200, description: '`{status:"authenticated", …}` with `activeTenant` set' })
  @ApiErrors(ErrorCode.Unauthorized, ErrorCode.SessionEnded, ErrorCode.Forbidden, ErrorCode.NotFound)
  selectTenant(@Body() dto: SelectTenantDto): Promise<AuthenticatedResult> {
    return this.rpc.send('auth.tenant.select', { tenant: dto.tenant });
  }
}
