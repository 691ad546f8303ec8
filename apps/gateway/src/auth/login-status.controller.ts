import { Controller, Get, Param } from '@nestjs/common';
import { ApiOperation, ApiParam, ApiResponse, ApiTags } from '@nestjs/swagger';
import { ErrorCode, LoginApprovalStatusView } from '@app/contracts';
import { RpcClient } from '@app/messaging';
import { ApiErrors } from '../errors/api-errors.decorator';
import { Public } from '../security/public.decorator';
import { FlowIdParam } from './flow-id.param';

/** State of a login flow waiting for app approval (AUTH-13). */
@ApiTags('auth')
@Public()
@Controller('auth')
export class LoginStatusController {
  constructor(private readonly rpc: RpcClient) {}

  @Get('login/:flowId')
  @ApiParam({ name: 'flowId', description: 'The flow id from the password step', format: 'uuid' })
  @ApiOperation({
    summary: "State of the flow's latest app approval request (AUTH-13)",
    description:
      'The login screen polls this after `challenge {method:"push"}`; on `approved` it calls ' +
      '`verify {method:"push"}`. `404 not_found` when the flow has no approval request.',
  })
  @ApiResponse({ status: 200, type: LoginApprovalStatusView })
  @ApiErrors(ErrorCode.FlowExpired, ErrorCode.NotFound)
  status(@Param() { flowId }: FlowIdParam): Promise<LoginApprovalStatusView> {
    return this.rpc.send('auth.login.status', { flowId });
  }
}
