/** `() => number` in [0, 1): the jitter of retry delays, injected so tests can fix it. */
export const DELIVERY_RANDOM = Symbol('DELIVERY_RANDOM');
