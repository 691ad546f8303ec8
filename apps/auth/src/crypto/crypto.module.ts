import { Module } from '@nestjs/common';
import { SecretBox } from './secret-box';
import { SecretHasher } from './secret-hasher';

/**
 * The keyed hash of secrets and the sealed box for stored secrets, provided once for the whole
 * service. A leaf: it depends on the configuration only, so every area can import it.
 */
@Module({
  providers: [SecretHasher, SecretBox],
  exports: [SecretHasher, SecretBox],
})
export class CryptoModule {}
