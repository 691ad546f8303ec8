import { Controller, Get, Inject, Req } from '@nestjs/common';
import { ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import type { Request } from 'express';
import { APP_CONFIG, GatewayEnv } from '@app/config';
import { DevOutboxMessage, DomainError, ErrorCode } from '@app/contracts';
import { RpcClient } from '@app/messaging';
import { ApiErrors } from '../errors/api-errors.decorator';
import { Public } from '../security/public.decorator';
import { isLoopbackClient } from './loopback.util';

/** The development outbox: messages that would have been e-mailed or texted when no provider is set. */
@ApiTags('development')
@Public()
@Controller('dev')
export class DevOutboxController {
  constructor(
    private readonly rpc: RpcClient,
    @Inject(APP_CONFIG) private readonly config: GatewayEnv,
  ) {}

  @Get('outbox')
  @ApiOperation({
    summary: 'Messages of the development outbox',
    description:
      'Only with DEV_OUTBOX=true, never with NODE_ENV=production, and only to a client on this machine.',
  })
  @ApiResponse({ status: 200, description: '`[{messageId, channel, to, subject?, body, createdAt}]`' })
  @ApiErrors(ErrorCode.NotFound)
  outbox(@Req() req: Request): Promise<DevOutboxMessage[]> {
    // It holds codes and reset links in clear: where it is off, or the caller is not on this machine,
    // it does not exist, and the service is not asked.
    if (
      this.config.DEV_OUTBOX !== 'true' ||
      this.config.NODE_ENV === 'production' ||
      !isLoopbackClient(req)
    ) {
      throw new DomainError(ErrorCode.NotFound);
    }
    return this.rpc.send('notification.outbox.list', {});
  }
}
