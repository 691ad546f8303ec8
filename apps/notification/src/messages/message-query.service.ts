import { Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG, NotificationEnv } from '@app/config';
import {
  DomainError,
  ErrorCode,
  MessageListView,
  MessageSentView,
  MessageView,
  OpsMessagesQueryDto,
} from '@app/contracts';
import { Message } from './message.entity';
import { MessageStatusEntry } from './message-status-entry.entity';
import { MessageRepository } from './message.repository';
import { recipientHashes } from './recipient-hash.util';

/** Messages per page of `GET /ops/messages`. */
export const MESSAGE_PAGE_SIZE = 50;

/**
 * What operators may see of the delivery records (NOTIF-5): the masked recipient, the type, the
 * status history and the provider's id — never a body (it may hold a code or a link), never an
 * address in clear. A recipient filter is matched by the address's keyed hash.
 */
@Injectable()
export class MessageQueryService {
  constructor(
    private readonly messages: MessageRepository,
    @Inject(APP_CONFIG) private readonly config: NotificationEnv,
  ) {}

  async query(filter: OpsMessagesQueryDto): Promise<MessageListView> {
    const rows = await this.messages.search({
      ...(filter.recipient
        ? { recipientHashes: recipientHashes(filter.recipient, this.config.RECIPIENT_HASH_SECRET) }
        : {}),
      ...(filter.type ? { template: filter.type } : {}),
      ...(filter.status ? { status: filter.status } : {}),
      ...(filter.from ? { from: new Date(filter.from) } : {}),
      ...(filter.to ? { to: new Date(filter.to) } : {}),
      ...(filter.cursor ? { after: decodeCursor(filter.cursor) } : {}),
      limit: MESSAGE_PAGE_SIZE + 1,
    });
    const page = rows.slice(0, MESSAGE_PAGE_SIZE);
    const histories = await this.messages.historiesOf(page.map((m) => m.messageId));
    const items = page.map((m) => toView(m, histories.get(m.messageId) ?? []));
    const last = page[page.length - 1];
    return rows.length > MESSAGE_PAGE_SIZE && last ? { items, nextCursor: encodeCursor(last) } : { items };
  }

  async get(messageId: string): Promise<MessageView> {
    const message = await this.messages.find(messageId);
    if (!message) {
      throw new DomainError(ErrorCode.NotFound);
    }
    return toView(message, await this.messages.historyOf(messageId));
  }

  /** Where a message stands and when it left; an id not seen yet is still waiting in its queue. */
  async sentAt(messageId: string): Promise<MessageSentView> {
    const message = await this.messages.find(messageId);
    if (!message) {
      return { status: 'queued' };
    }
    return { status: message.status, ...(message.sentAt ? { sentAt: message.sentAt.toISOString() } : {}) };
  }
}

function toView(message: Message, history: MessageStatusEntry[]): MessageView {
  return {
    id: message.messageId,
    type: message.template,
    channel: message.channel,
    // Records written before masks existed show nothing of the recipient.
    recipient: message.recipientMasked ?? '***',
    status: message.status,
    history: history.map((h) => ({
      status: h.status,
      at: h.at.toISOString(),
      ...(h.detail ? { detail: h.detail } : {}),
    })),
    ...(message.providerMessageId ? { providerMessageId: message.providerMessageId } : {}),
  };
}

function encodeCursor(message: Message): string {
  return Buffer.from(JSON.stringify([message.createdAt.toISOString(), message.messageId])).toString(
    'base64url',
  );
}

function decodeCursor(cursor: string): { createdAt: Date; messageId: string } {
  try {
    const parsed: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (
      Array.isArray(parsed) &&
      parsed.length === 2 &&
      typeof parsed[0] === 'string' &&
      typeof parsed[1] === 'string' &&
      !Number.isNaN(new Date(parsed[0]).getTime())
    ) {
      return { createdAt: new Date(parsed[0]), messageId: parsed[1] };
    }
  } catch {
    // Reported below like any other malformed cursor.
  }
  throw new DomainError(ErrorCode.ValidationFailed, {
    fields: { cursor: ['cursor must be a nextCursor value'] },
  });
}
