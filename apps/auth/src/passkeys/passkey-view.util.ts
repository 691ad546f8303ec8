import { PasskeyView } from '@app/contracts';
import { Passkey } from './passkey.entity';

/** What a user sees of a passkey: never its key or credential id. */
export function passkeyView(passkey: Passkey): PasskeyView {
  return {
    id: passkey.id,
    name: passkey.name,
    createdAt: passkey.createdAt.toISOString(),
    lastUsedAt: passkey.lastUsedAt ? passkey.lastUsedAt.toISOString() : null,
  };
}
