import { Message } from './messages/message.entity';
import { MessageStatusEntry } from './messages/message-status-entry.entity';
import { CreateNotificationSchema1763856000000 } from './migrations/1763856000000-CreateNotificationSchema';
import { OutboxNotifyTrigger1763856000001 } from './migrations/1763856000001-OutboxNotifyTrigger';
import { OutboxParking1764720000000 } from './migrations/1764720000000-OutboxParking';
import { IndexQueuedMessages1796260157295 } from './migrations/1796260157295-IndexQueuedMessages';
import { KeepSealedJob1796262901082 } from './migrations/1796262901082-KeepSealedJob';
import { MessageStatusHistory1796278126066 } from './migrations/1796278126066-MessageStatusHistory';
import { Bounces1796278602713 } from './migrations/1796278602713-Bounces';

export const NOTIFICATION_SCHEMA = 'notification';

export const NOTIFICATION_ENTITIES = [Message, MessageStatusEntry];

/** In order; a new migration is appended here. */
export const NOTIFICATION_MIGRATIONS = [
  CreateNotificationSchema1763856000000,
  OutboxNotifyTrigger1763856000001,
  OutboxParking1764720000000,
  IndexQueuedMessages1796260157295,
  KeepSealedJob1796262901082,
  MessageStatusHistory1796278126066,
  Bounces1796278602713,
];
