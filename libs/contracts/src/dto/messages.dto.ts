import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsISO8601, IsObject, IsOptional, IsString, Matches, MaxLength } from 'class-validator';
import { NotificationChannel } from '../jobs/notification-job';

/** NOTIF-5: where a message stands. `suppressed`: a send cap or an undeliverable mark stopped it. */
export const MESSAGE_STATUS_VALUES = [
  'queued',
  'sent',
  'delivered',
  'failed',
  'bounced',
  'expired',
  'suppressed',
] as const;
export type MessageStatusValue = (typeof MESSAGE_STATUS_VALUES)[number];

/** A message id as producers make them (uuid) or any other safe id of up to 200 characters. */
export const MESSAGE_ID_PATTERN = /^[A-Za-z0-9._:-]{1,200}$/;

export class MessageIdParam {
  @IsString()
  @Matches(MESSAGE_ID_PATTERN, { message: 'id must be a message id' })
  id!: string;
}

/** `GET /ops/messages` (NOTIF-5): every filter optional, newest first. */
export class OpsMessagesQueryDto {
  @ApiPropertyOptional({ description: 'An e-mail address or E.164 number; matched by its keyed hash' })
  @IsOptional()
  @IsString()
  @MaxLength(320)
  recipient?: string;

  @ApiPropertyOptional({ description: 'The message type (template), e.g. `security-code`' })
  @IsOptional()
  @IsString()
  @Matches(/^[a-z][a-z0-9-]{0,63}$/, { message: 'type must be a message type such as security-code' })
  type?: string;

  @ApiPropertyOptional({ enum: MESSAGE_STATUS_VALUES })
  @IsOptional()
  @IsIn(MESSAGE_STATUS_VALUES)
  status?: MessageStatusValue;

  @ApiPropertyOptional({ description: 'Queued at or after (ISO 8601)' })
  @IsOptional()
  @IsISO8601({ strict: true })
  from?: string;

  @ApiPropertyOptional({ description: 'Queued before (ISO 8601)' })
  @IsOptional()
  @IsISO8601({ strict: true })
  to?: string;

  @ApiPropertyOptional({ description: "The previous page's `nextCursor`" })
  @IsOptional()
  @IsString()
  @Matches(/^[A-Za-z0-9_-]{1,400}$/, { message: 'cursor must be a nextCursor value' })
  cursor?: string;
}

export class MessageHistoryEntryView {
  @ApiProperty({ enum: MESSAGE_STATUS_VALUES })
  status!: MessageStatusValue;

  @ApiProperty({ format: 'date-time' })
  at!: string;

  @ApiPropertyOptional({ description: 'A short code, e.g. `twilio_30003`, `smtp_550`, `outcome_unknown`' })
  detail?: string;
}

/** One message as operators see it: the recipient masked, never the body (it may hold a code or link). */
export class MessageView {
  @ApiProperty()
  id!: string;

  @ApiProperty({ description: 'The message type (template)', example: 'security-code' })
  type!: string;

  @ApiProperty({ enum: ['sms', 'email'] })
  channel!: NotificationChannel;

  @ApiProperty({ description: 'Masked, e.g. `ta***@example.com` or `+81 90-****-5678`' })
  recipient!: string;

  @ApiProperty({ enum: MESSAGE_STATUS_VALUES })
  status!: MessageStatusValue;

  @ApiProperty({ type: [MessageHistoryEntryView] })
  history!: MessageHistoryEntryView[];

  @ApiPropertyOptional({ description: "The provider's id of the message (e.g. Twilio's sid)" })
  providerMessageId?: string;
}

export class MessageListView {
  @ApiProperty({ type: [MessageView] })
  items!: MessageView[];

  @ApiPropertyOptional({ description: 'Pass as `cursor` for the next page; absent on the last' })
  nextCursor?: string;
}

/**
 * A delivery receipt as Twilio posted it to the gateway, passed on untouched for the notification
 * service (which holds the auth token) to check its signature.
 */
export class TwilioReceiptRequest {
  /** From the callback URL's query; the message the callback was given with. */
  @IsOptional()
  @IsString()
  @Matches(MESSAGE_ID_PATTERN)
  messageId?: string;

  /** Every POST parameter, as posted (the signature covers all of them). */
  @IsObject()
  params!: Record<string, string | string[]>;

  @IsString()
  @MaxLength(200)
  signature!: string;
}

/** When the message of a login code left (NOTIF-5), for auth's `GET /auth/login/{flowId}`. */
export interface MessageSentView {
  status: MessageStatusValue;
  sentAt?: string;
}

/** A login flow's latest security code, as auth knows it (see `auth.login.code_status`). */
export interface LoginCodeStatus {
  method: NotificationChannel;
  /** `pending` while the code may still be entered. */
  status: 'pending' | 'expired';
  messageId: string | null;
}
