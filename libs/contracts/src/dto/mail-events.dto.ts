import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsEmail, IsIn, IsOptional, IsString, Matches, MaxLength } from 'class-validator';
import { MAIL_EVENT_TYPES, MailEventType } from '../rpc/bounces.rpc';

/**
 * The largest raw DSN `POST /integrations/mail-events` reads (NOTIF-6): reports are a few kB; base64
 * in a NATS request it must stay below NATS's 1 MB message limit.
 */
export const MAIL_EVENT_MAX_BYTES = 512 * 1024;

/** The JSON form of a mail event (NOTIF-6): a bounce or complaint for one message or address. */
export class MailEventDto {
  @ApiPropertyOptional({
    description: 'The message id (`X-Mamori-Message-Id` of the e-mail)',
    maxLength: 200,
  })
  @IsOptional()
  @IsString()
  @Matches(/^[\w.:@-]{1,200}$/, { message: 'messageId must be a message id' })
  messageId?: string;

  @ApiPropertyOptional({
    description: 'The address that bounced; the newest message to it when no messageId',
  })
  @IsOptional()
  @IsEmail()
  @MaxLength(320)
  recipient?: string;

  @ApiProperty({ enum: MAIL_EVENT_TYPES })
  @IsIn(MAIL_EVENT_TYPES)
  type!: MailEventType;
}
