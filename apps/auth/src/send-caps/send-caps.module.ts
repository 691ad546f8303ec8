import { Module } from '@nestjs/common';
import { SecretHasher } from '../crypto/secret-hasher';
import { SendCapStore } from './send-cap.store';
import { SendCaps } from './send-caps.service';

/**
 * NOTIF-7 send caps and the open approval requests cap. Depends on nothing of the other areas (its
 * own SecretHasher, which holds no state), so the accounts, login and push modules can all import it.
 */
@Module({
  providers: [SendCapStore, SendCaps, SecretHasher],
  exports: [SendCaps],
})
export class SendCapsModule {}
