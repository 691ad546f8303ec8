/** Injection token of the gateway's Redis connection (rate-limit counters, session revocation marks). */
export const GATEWAY_REDIS = Symbol('GATEWAY_REDIS');
