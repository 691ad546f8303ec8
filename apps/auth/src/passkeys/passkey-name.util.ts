import { DomainError, ErrorCode, MAX_NAME } from '@app/contracts';

/**
 * A passkey's name as stored: trimmed, 1–100 characters. The gateway already checked it; this is
 * the service's own boundary (a NATS peer is not trusted to have gone through the gateway).
 */
export function passkeyName(raw: unknown): string {
  const name = typeof raw === 'string' ? raw.trim() : '';
  if (name.length === 0 || name.length > MAX_NAME) {
    throw new DomainError(ErrorCode.ValidationFailed, {
      fields: { name: [`name must be 1 to ${MAX_NAME} characters`] },
    });
  }
  return name;
}
