import { AppLogger, LOGGER } from '@app/observability';

/**
 * The service's logger: LOGGER of @app/observability (ServiceCoreModule provides it at LOG_LEVEL),
 * under the name this service's classes inject it by. Each class logs through a child with its
 * component bound; redaction of addresses, numbers, bodies and codes is built in (REDACTED_PATHS).
 */
export const NOTIFICATION_LOGGER = LOGGER;
export type NotificationLogger = AppLogger;
