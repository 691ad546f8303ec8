/**
 * Input ceilings applied at every boundary. They are far above any legitimate value and exist so a
 * 1 MB string is refused as malformed before it reaches a hash function or a database.
 */
export const MAX_USER_ID_INPUT = 254;
export const MAX_PASSWORD_INPUT = 1024;
export const MAX_EMAIL = 254;
export const MAX_NAME = 100;
export const MAX_TOKEN = 512;
export const E164_PATTERN = /^\+[1-9][0-9]{6,14}$/;
export const TENANT_NUMBER_PATTERN = /^[A-Z][0-9A-Z]{3,19}$/;
