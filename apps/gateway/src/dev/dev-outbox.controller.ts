import { Controller, Get, Inject } from '@nestjs/common';
import { ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import { APP_CONFIG, GatewayEnv } from '@app/config';
import { DevOutboxMessage, DomainError, ErrorCode } from '@app/contracts';
import { RpcClient } from '@app/messaging';
import { ApiErrors } from '../errors/api-errors.decorator';
import { Public } from '../security/public.decorator';

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
  @ApiOperation({ summary: 'Messages of the development outbox (refused when NODE_ENV=production)' })
  @ApiResponse({ status: 200, description: '`[{messageId, channel, to, subject?, body, createdAt}]`' })
  @ApiErrors(ErrorCode.NotFound)
  outbox(): Promise<DevOutboxMessage[]> {
    if (this.config.NODE_ENV === 'production') {
      // It holds codes and reset links: in production it does not exist, and the service is not asked.
      throw new DomainError(ErrorCode.NotFound);
    }
    return this.rpc.send('notification.outbox.list', {});
  }
}
