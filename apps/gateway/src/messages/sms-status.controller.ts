import { Controller, Headers, HttpCode, HttpStatus, Post, Query, Req } from '@nestjs/common';
import { ApiConsumes, ApiHeader, ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import type { Request } from 'express';
import { IsOptional, IsString, Matches } from 'class-validator';
import { ApiPropertyOptional } from '@nestjs/swagger';
import { DomainError, ErrorCode, MESSAGE_ID_PATTERN } from '@app/contracts';
import { RpcClient } from '@app/messaging';
import { ApiErrors } from '../errors/api-errors.decorator';
import { Public } from '../security/public.decorator';

/** The path the form parser is mounted on (configure-app.ts): these callbacks post forms, not JSON. */
export const SMS_STATUS_PATH = 'integrations/sms-status';

export class SmsStatusQuery {
  @ApiPropertyOptional({ description: 'The message the callback URL was given with' })
  @IsOptional()
  @IsString()
  @Matches(MESSAGE_ID_PATTERN, { message: 'messageId must be a message id' })
  messageId?: string;
}

/**
 * Delivery receipts of the SMS vendor (NOTIF-5). Public — Twilio carries no token — and believed only
 * with a valid `X-Twilio-Signature`, which the notification service checks (it alone holds the auth
 * token); the gateway passes the form on untouched.
 */
@ApiTags('integrations')
@Public()
@Controller(SMS_STATUS_PATH)
export class SmsStatusController {
  constructor(private readonly rpc: RpcClient) {}

  @Post('twilio')
  @HttpCode(HttpStatus.NO_CONTENT)
  @ApiConsumes('application/x-www-form-urlencoded')
  @ApiHeader({ name: 'X-Twilio-Signature', required: true, description: "Twilio's request signature" })
  @ApiOperation({
    summary: "Twilio's StatusCallback: a message's delivery receipt (NOTIF-5)",
    description:
      'Form fields `MessageSid`, `MessageStatus` (`queued`, `sent`, `delivered`, `undelivered`, `failed`), ' +
      '`ErrorCode` and the rest Twilio posts. `403 forbidden` when the signature does not match.',
  })
  @ApiResponse({ status: 204, description: 'Received' })
  @ApiErrors(ErrorCode.Forbidden)
  async twilio(
    @Req() req: Request,
    @Query() query: SmsStatusQuery,
    @Headers('x-twilio-signature') signature?: string,
  ): Promise<void> {
    const params = formParams(req.body);
    if (!params) {
      throw new DomainError(ErrorCode.ValidationFailed, {
        fields: { body: ['must be form fields (application/x-www-form-urlencoded)'] },
      });
    }
    if (!signature || signature.length > 200) {
      throw new DomainError(ErrorCode.Forbidden);
    }
    await this.rpc.send('notification.sms_receipt.twilio', {
      ...(query.messageId ? { messageId: query.messageId } : {}),
      params,
      signature,
    });
  }
}

/** The posted fields when each is a string or a list of strings (a repeated field); else null. */
function formParams(body: unknown): Record<string, string | string[]> | null {
  if (body === undefined || body === null) {
    return {};
  }
  if (typeof body !== 'object' || Array.isArray(body)) {
    return null;
  }
  const entries = Object.entries(body as Record<string, unknown>);
  if (entries.length > 100) {
    return null;
  }
  const ok = entries.every(
    ([, v]) => typeof v === 'string' || (Array.isArray(v) && v.every((x) => typeof x === 'string')),
  );
  return ok ? (body as Record<string, string | string[]>) : null;
}
