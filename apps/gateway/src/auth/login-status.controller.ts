import { Controller, Get, Param } from '@nestjs/common';
import { ApiOperation, ApiParam, ApiResponse, ApiTags } from '@nestjs/swagger';
import { DomainError, ErrorCode, LoginApprovalStatusView } from '@app/contracts';
import { RpcClient } from '@app/messaging';
import { ApiErrors } from '../errors/api-errors.decorator';
import { Public } from '../security/public.decorator';
import { FlowIdParam } from './flow-id.param';

/** State of a login flow waiting for app approval (AUTH-13) or for its security code (NOTIF-5). */
@ApiTags('auth')
@Public()
@Controller('auth')
export class LoginStatusController {
  constructor(private readonly rpc: RpcClient) {}

  @Get('login/:flowId')
  @ApiParam({ name: 'flowId', description: 'The flow id from the password step', format: 'uuid' })
  @ApiOperation({
    summary: "State of the flow's latest app approval request (AUTH-13) or security code (NOTIF-5)",
    description:
      'The login screen polls this after `challenge {method:"push"}`; on `approved` it calls ' +
      '`verify {method:"push"}`. After `challenge {method:"sms"|"email"}` it answers ' +
      '`{status:"pending"|"expired", method, sentAt?}`: `sentAt` once the code has left for the provider. ' +
      '`404 not_found` when the flow has neither.',
  })
  @ApiResponse({ status: 200, type: LoginApprovalStatusView })
  @ApiErrors(ErrorCode.FlowExpired, ErrorCode.NotFound)
  async status(@Param() { flowId }: FlowIdParam): Promise<LoginApprovalStatusView> {
    try {
      return await this.rpc.send('auth.login.status', { flowId });
    } catch (error) {
      if (!(error instanceof DomainError) || error.code !== ErrorCode.NotFound) {
        throw error;
      }
    }
    const code = await this.rpc.send('auth.login.code_status', { flowId });
    if (!code) {
      throw new DomainError(ErrorCode.NotFound);
    }
    // Auth knows the code, notification when it left; the gateway puts the two answers together so
    // that neither service calls the other.
    const sent = code.messageId
      ? await this.rpc.send('notification.messages.sent_at', { id: code.messageId }).catch(() => null)
      : null;
    return { status: code.status, method: code.method, ...(sent?.sentAt ? { sentAt: sent.sentAt } : {}) };
  }
}
