import { Controller, HttpCode, HttpStatus, Post, Req, UseGuards } from '@nestjs/common';
import { ApiBody, ApiConsumes, ApiOperation, ApiResponse, ApiSecurity, ApiTags } from '@nestjs/swagger';
import { plainToInstance } from 'class-transformer';
import { validate } from 'class-validator';
import { DomainError, ErrorCode, MAIL_EVENT_MAX_BYTES, MailEventDto, MailEventRequest } from '@app/contracts';
import { RpcClient } from '@app/messaging';
import { ApiErrors } from '../errors/api-errors.decorator';
import { validationFailed } from '../errors/validation-errors.util';
import { RateLimit } from '../rate-limit/rate-limit.decorator';
import { Public } from '../security/public.decorator';
import { ApiKeyGuard, IntegrationRequest, RequireScope } from './api-key.guard';

/**
 * Bounces and complaints from a mail provider (NOTIF-6): a raw DSN (`message/rfc822`) or a JSON event.
 * The DSN is read here as a stream, capped at MAIL_EVENT_MAX_BYTES (the JSON parser leaves other
 * media types alone), and passed to the notification service, which owns bounces.
 */
@ApiTags('integrations')
@ApiSecurity('api-key')
@Public()
@RateLimit('integration')
@UseGuards(ApiKeyGuard)
@Controller('integrations')
export class IntegrationMailEventsController {
  constructor(private readonly rpc: RpcClient) {}

  @Post('mail-events')
  @HttpCode(HttpStatus.ACCEPTED)
  @RequireScope('mail-events:write')
  @ApiOperation({
    summary: 'A bounce or complaint from the mail provider (NOTIF-6)',
    description:
      'Header `X-Api-Key` with scope `mail-events:write`. Either a delivery status notification as it arrived (`Content-Type: message/rfc822`, RFC 3464, at most 512 KiB), or JSON `{messageId?, recipient?, type: "hard"|"soft"|"complaint"}` with `messageId` or `recipient`. A hard bounce marks the message `bounced` and the address undeliverable (codes to it fail with `email_unavailable`); soft bounces turn hard after `BOUNCE_SOFT_DAYS`. `202` also when the event names no message of ours.',
  })
  @ApiConsumes('application/json', 'message/rfc822')
  @ApiBody({ type: MailEventDto })
  @ApiResponse({ status: 202, description: '`{status:"recorded"|"ignored"}`' })
  @ApiErrors(
    ErrorCode.Unauthorized,
    ErrorCode.Forbidden,
    ErrorCode.ValidationFailed,
    ErrorCode.PayloadTooLarge,
  )
  async mailEvent(@Req() req: IntegrationRequest): Promise<{ status: 'recorded' | 'ignored' }> {
    const keyId = req.integration.id;
    const type = (req.headers['content-type'] ?? '').split(';')[0].trim().toLowerCase();
    let request: MailEventRequest;
    if (type === 'message/rfc822') {
      const raw = await readCapped(req, MAIL_EVENT_MAX_BYTES);
      if (raw.length === 0) {
        throw new DomainError(ErrorCode.ValidationFailed, { fields: { body: ['must be a DSN message'] } });
      }
      request = { rawBase64: raw.toString('base64'), keyId };
    } else if (type === 'application/json') {
      const dto = plainToInstance(MailEventDto, (req.body ?? {}) as object);
      const errors = await validate(dto, {
        whitelist: true,
        forbidNonWhitelisted: true,
        forbidUnknownValues: true,
        validationError: { target: false, value: false },
      });
      if (errors.length > 0) {
        throw validationFailed(errors);
      }
      if (!dto.messageId && !dto.recipient) {
        throw new DomainError(ErrorCode.ValidationFailed, {
          fields: { messageId: ['messageId or recipient is required'] },
        });
      }
      request = {
        type: dto.type,
        keyId,
        ...(dto.messageId ? { messageId: dto.messageId } : {}),
        ...(dto.recipient ? { recipient: dto.recipient } : {}),
      };
    } else {
      throw new DomainError(ErrorCode.ValidationFailed, {
        fields: { body: ['Content-Type must be message/rfc822 or application/json'] },
      });
    }
    return this.rpc.send('notification.mail_events.submit', request);
  }
}

/**
 * The request body, refused with 413 past `max` bytes: the rest is drained unread (not kept), so the
 * answer still reaches the client.
 */
function readCapped(req: IntegrationRequest, max: number): Promise<Buffer> {
  const declared = Number(req.headers['content-length']);
  if (Number.isFinite(declared) && declared > max) {
    req.resume();
    return Promise.reject(new DomainError(ErrorCode.PayloadTooLarge, { maxBytes: max }));
  }
  return new Promise<Buffer>((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const onData = (chunk: Buffer): void => {
      size += chunk.length;
      if (size > max) {
        req.off('data', onData);
        req.off('end', onEnd);
        req.resume();
        reject(new DomainError(ErrorCode.PayloadTooLarge, { maxBytes: max }));
        return;
      }
      chunks.push(chunk);
    };
    const onEnd = (): void => resolve(Buffer.concat(chunks));
    req.on('data', onData);
    req.once('end', onEnd);
    req.once('error', reject);
  });
}
