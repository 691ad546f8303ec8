import { Inject } from '@nestjs/common';
import type { Logger } from 'pino';

/**
 * The service's one pino logger (ObservabilityModule provides it, at the service's LOG_LEVEL, with
 * redaction and the request id on every line). A class injects it and keeps a child with its name:
 * `this.logger = logger.child({ component: Foo.name })`. Errors go under `err`.
 */
export const LOGGER = Symbol('LOGGER');
export type AppLogger = Logger;

/** Constructor parameter decorator for the service's logger. */
export const InjectLogger = (): ParameterDecorator => Inject(LOGGER);
