import { Module } from '@nestjs/common';
import { StoreModule } from '../store/store.module';
import { CheckpointPublisher } from './checkpoint.publisher';
import { SigningKeyController } from './signing-key.controller';

/** Signed checkpoints of the chain (AUDIT-3) and the public key that verifies them. */
@Module({
  imports: [StoreModule],
  controllers: [SigningKeyController],
  providers: [CheckpointPublisher],
  exports: [CheckpointPublisher],
})
export class CheckpointModule {}
