import {
  LoginCodeStatus,
  MessageIdParam,
  MessageListView,
  MessageSentView,
  MessageView,
  OpsMessagesQueryDto,
  TwilioReceiptRequest,
} from '../dto/messages.dto';
import { AreaRequestClasses, FlowIdRequest } from './rpc-request-class';

/* Subjects of the notification service's message records (NOTIF-5), merged into RpcMap. */
declare module './rpc-map' {
  interface RpcMap {
    /** Operators: messages by recipient, type, status and time, newest first (masked, no bodies). */
    'notification.messages.query': [OpsMessagesQueryDto, MessageListView];
    /** Operators: one message with its status history; `404 not_found` for an unknown id. */
    'notification.messages.get': [MessageIdParam, MessageView];
    /**
     * Auth: where a message stands and when it left (the login screen's "code sent at"). An unknown
     * id answers `{status: 'queued'}`: the worker has not seen the job yet.
     */
    'notification.messages.sent_at': [MessageIdParam, MessageSentView];
    /**
     * Auth: the flow's latest security code for the waiting login screen, null without one; the
     * gateway asks `notification.messages.sent_at` with its message id (no auth → notification call).
     */
    'auth.login.code_status': [FlowIdRequest, LoginCodeStatus | null];
    /** The gateway: a Twilio delivery receipt, `403 forbidden` when its signature does not match. */
    'notification.sms_receipt.twilio': [TwilioReceiptRequest, { accepted: boolean }];
  }
}

/** class-validator classes of this area's requests (see RPC_REQUEST_CLASSES). */
export const MESSAGES_RPC_CLASSES = {
  'notification.messages.query': OpsMessagesQueryDto,
  'notification.messages.get': MessageIdParam,
  'notification.messages.sent_at': MessageIdParam,
  'notification.sms_receipt.twilio': TwilioReceiptRequest,
  'auth.login.code_status': FlowIdRequest,
} satisfies AreaRequestClasses;
