import { Controller, Get, Param, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiParam, ApiResponse, ApiTags } from '@nestjs/swagger';
import { ErrorCode, MessageIdParam, MessageListView, MessageView, OpsMessagesQueryDto } from '@app/contracts';
import { RpcClient } from '@app/messaging';
import { ApiErrors } from '../errors/api-errors.decorator';
import { Roles } from '../security/roles.decorator';

const OPERATOR_ERRORS = [ErrorCode.Unauthorized, ErrorCode.SessionEnded, ErrorCode.Forbidden];

/** Operators answer "I never got my code" (NOTIF-5): every message's status history, masked. */
@ApiTags('operators')
@ApiBearerAuth()
@Roles('operator')
@Controller('ops/messages')
export class OpsMessagesController {
  constructor(private readonly rpc: RpcClient) {}

  @Get()
  @ApiOperation({
    summary: 'Messages and their delivery status (NOTIF-5)',
    description:
      'Newest first, 50 a page (`nextCursor` → `cursor`). `recipient` is an e-mail address or E.164 number, ' +
      'matched by its keyed hash; answers show it masked and never a message body. `type` is the message ' +
      'type (`security-code`, …); `from`/`to` bound the time it was queued.',
  })
  @ApiResponse({ status: 200, type: MessageListView })
  @ApiErrors(...OPERATOR_ERRORS)
  list(@Query() query: OpsMessagesQueryDto): Promise<MessageListView> {
    return this.rpc.send('notification.messages.query', query);
  }

  @Get(':id')
  @ApiParam({ name: 'id', description: "The message's id" })
  @ApiOperation({ summary: 'One message with its status history (NOTIF-5)' })
  @ApiResponse({ status: 200, type: MessageView })
  @ApiErrors(...OPERATOR_ERRORS, ErrorCode.NotFound)
  get(@Param() { id }: MessageIdParam): Promise<MessageView> {
    return this.rpc.send('notification.messages.get', { id });
  }
}
