import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsIn,
  IsOptional,
  IsString,
  IsUUID,
  Matches,
  MaxLength,
} from 'class-validator';
import { AreaRequestClasses } from './rpc-request-class';

/**
 * NOTIF-6: the notification service tells auth (which owns the flag) that a user's e-mail address
 * hard-bounced. The address travels only as its keyed hashes (RECIPIENT_HASH_SECRET, which auth must
 * share): auth marks the user's address undeliverable when it is one of them.
 */
export class EmailUndeliverableRequest {
  @IsUUID()
  userId!: string;

  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(50)
  @Matches(/^[0-9a-f]{64}$/, { each: true })
  recipientHashes!: string[];

  /** The message whose bounce this is (for the audit fact). */
  @IsString()
  @MaxLength(200)
  messageId!: string;
}

export const MAIL_EVENT_TYPES = ['hard', 'soft', 'complaint'] as const;
export type MailEventType = (typeof MAIL_EVENT_TYPES)[number];

/** A mail event as the gateway passes it on (POST /integrations/mail-events): one of the two forms. */
export class MailEventRequest {
  /** The raw DSN (`message/rfc822`), base64. */
  @IsOptional()
  @IsString()
  @MaxLength(1_500_000)
  rawBase64?: string;

  @IsOptional()
  @IsString()
  @MaxLength(200)
  messageId?: string;

  @IsOptional()
  @IsString()
  @MaxLength(320)
  recipient?: string;

  @IsOptional()
  @IsIn(MAIL_EVENT_TYPES)
  type?: MailEventType;

  /** The integration whose key posted it (for the logs). */
  @IsString()
  @MaxLength(100)
  keyId!: string;
}

export interface MailEventResult {
  /** `recorded`: the bounce was applied; `ignored`: no message of ours matched, or not a report. */
  status: 'recorded' | 'ignored';
}

declare module './rpc-map' {
  interface RpcMap {
    /** Internal (notification → auth, not the gateway): mark a user's address undeliverable (NOTIF-6). */
    'auth.directory.email_undeliverable': [EmailUndeliverableRequest, { marked: boolean }];
    /** A mail event from an integration (gateway → notification, NOTIF-6). */
    'notification.mail_events.submit': [MailEventRequest, MailEventResult];
  }
}

/** class-validator classes of this area's requests (see RPC_REQUEST_CLASSES). */
export const BOUNCES_RPC_CLASSES = {
  'auth.directory.email_undeliverable': EmailUndeliverableRequest,
  'notification.mail_events.submit': MailEventRequest,
} satisfies AreaRequestClasses;
