import { Module } from '@nestjs/common';
import { CryptoModule } from '../crypto/crypto.module';
import { SendCapStore } from './send-cap.store';
import { SendCaps } from './send-caps.service';

/**
 * NOTIF-7 send caps and the open approval requests cap. Depends only on CryptoModule, so the
 * reset, login and push modules can all import it.
 */
@Module({
  imports: [CryptoModule],
  providers: [SendCapStore, SendCaps],
  exports: [SendCaps],
})
export class SendCapsModule {}
