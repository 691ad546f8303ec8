/** The service's shared Redis connection for plain commands (dev outbox, health); workers open their own. */
export const NOTIFICATION_REDIS = Symbol('NOTIFICATION_REDIS');
