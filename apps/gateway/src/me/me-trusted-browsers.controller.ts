import { Controller, Delete, Get, HttpCode, HttpStatus, Param } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiParam, ApiResponse, ApiTags } from '@nestjs/swagger';
import { ErrorCode, TrustedBrowserIdParam, TrustedBrowserView } from '@app/contracts';
import { RpcClient } from '@app/messaging';
import { ApiErrors } from '../errors/api-errors.decorator';

/** Errors of every route here: the guards' answers. */
const ME_ERRORS = [ErrorCode.Unauthorized, ErrorCode.SessionEnded];

/** The caller's trusted browsers (AUTH-9). Rules live in the auth service. */
@ApiTags('me')
@ApiBearerAuth()
@Controller('me')
export class MeTrustedBrowsersController {
  constructor(private readonly rpc: RpcClient) {}

  @Get('trusted-browsers')
  @ApiOperation({
    summary: 'Your trusted browsers',
    description: 'Name, created, last used, user agent and IP address of each; never the device token.',
  })
  @ApiResponse({ status: 200, type: [TrustedBrowserView] })
  @ApiErrors(...ME_ERRORS)
  list(): Promise<TrustedBrowserView[]> {
    return this.rpc.send('auth.trusted_browser.list', {});
  }

  @Delete('trusted-browsers/:id')
  @HttpCode(HttpStatus.NO_CONTENT)
  @ApiParam({ name: 'id', description: 'Trusted browser id (uuid)', format: 'uuid' })
  @ApiOperation({
    summary: 'Revoke one trusted browser',
    description: 'Its next login needs the second step again. Needs a recent second step (step-up).',
  })
  @ApiResponse({ status: 204, description: 'Revoked' })
  @ApiErrors(...ME_ERRORS, ErrorCode.StepUpRequired, ErrorCode.NotFound)
  async revoke(@Param() { id }: TrustedBrowserIdParam): Promise<void> {
    await this.rpc.send('auth.trusted_browser.revoke', { id });
  }

  @Delete('trusted-browsers')
  @HttpCode(HttpStatus.NO_CONTENT)
  @ApiOperation({
    summary: 'Revoke every trusted browser',
    description: 'Needs a recent second step (step-up).',
  })
  @ApiResponse({ status: 204, description: 'Revoked' })
  @ApiErrors(...ME_ERRORS, ErrorCode.StepUpRequired)
  async revokeAll(): Promise<void> {
    await this.rpc.send('auth.trusted_browser.revoke_all', {});
  }
}
