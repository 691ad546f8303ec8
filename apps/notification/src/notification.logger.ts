import { Global, Module } from '@nestjs/common';
import type { Logger } from 'pino';
import { APP_CONFIG, NotificationEnv } from '@app/config';
import { createLogger } from '@app/observability';

/**
 * The service's pino logger, injected so each class logs through a child with its component bound.
 * Redaction of addresses, numbers, bodies and codes is built in (REDACTED_PATHS); LOG_LEVEL applies.
 */
export const NOTIFICATION_LOGGER = Symbol('NOTIFICATION_LOGGER');
export type NotificationLogger = Logger;

@Global()
@Module({
  providers: [
    {
      provide: NOTIFICATION_LOGGER,
      inject: [APP_CONFIG],
      useFactory: (config: NotificationEnv): Logger => createLogger('notification', config.LOG_LEVEL),
    },
  ],
  exports: [NOTIFICATION_LOGGER],
})
export class NotificationLoggerModule {}
