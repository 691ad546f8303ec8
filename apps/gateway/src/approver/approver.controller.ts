import { Body, Controller, Get, Headers, HttpCode, HttpStatus, Param, Post } from '@nestjs/common';
import { ApiHeader, ApiOperation, ApiParam, ApiResponse, ApiTags } from '@nestjs/swagger';
import {
  ApprovalDecisionDto,
  ApprovalOutcomeView,
  ApprovalRequestIdParam,
  ApprovalRequestView,
  ErrorCode,
} from '@app/contracts';
import { RpcClient } from '@app/messaging';
import { ApiErrors } from '../errors/api-errors.decorator';
import { Public } from '../security/public.decorator';

const TOKEN_HEADER = 'x-approver-token';

/**
 * The approver phone app's side of app approval (AUTH-13). No access token: the app authenticates
 * with its approver token in `X-Approver-Token`, which the auth service checks.
 */
@ApiTags('approver')
@ApiHeader({ name: 'X-Approver-Token', required: true, description: 'From `POST /me/mfa/approver`' })
@Public()
@Controller('approver')
export class ApproverController {
  constructor(private readonly rpc: RpcClient) {}

  @Get('requests')
  @ApiOperation({
    summary: 'Logins waiting for this app to approve',
    description:
      "Pending, unexpired approval requests of the app's user, each with three candidate numbers; " +
      'the right one is shown on the login screen and is never marked here.',
  })
  @ApiResponse({ status: 200, type: [ApprovalRequestView] })
  @ApiErrors(ErrorCode.Unauthorized)
  pending(@Headers(TOKEN_HEADER) token: string | undefined): Promise<ApprovalRequestView[]> {
    return this.rpc.send('auth.approver.requests.list', { approverToken: token ?? '' });
  }

  @Post('requests/:id')
  @HttpCode(HttpStatus.OK)
  @ApiParam({ name: 'id', format: 'uuid' })
  @ApiOperation({
    summary: 'Approve (with the number on the login screen) or deny a login',
    description:
      'An approval with a wrong or missing `matchNumber` denies the request: the answer says `denied`.',
  })
  @ApiResponse({ status: 200, type: ApprovalOutcomeView })
  @ApiErrors(ErrorCode.Unauthorized, ErrorCode.NotFound, ErrorCode.Conflict, ErrorCode.CodeExpired)
  decide(
    @Headers(TOKEN_HEADER) token: string | undefined,
    @Param() { id }: ApprovalRequestIdParam,
    @Body() dto: ApprovalDecisionDto,
  ): Promise<ApprovalOutcomeView> {
    return this.rpc.send('auth.approver.requests.decide', {
      approverToken: token ?? '',
      id,
      decision: dto.decision,
      ...(dto.matchNumber === undefined ? {} : { matchNumber: dto.matchNumber }),
    });
  }
}
