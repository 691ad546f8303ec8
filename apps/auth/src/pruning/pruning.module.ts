import { Module } from '@nestjs/common';
import { AnonymousRowsPruner } from './anonymous-rows.pruner';
import { PruningRepository } from './pruning.repository';

/** The scheduled pruning of rows left by anonymous calls; it owns no table, only their expiry. */
@Module({
  providers: [AnonymousRowsPruner, PruningRepository],
  exports: [AnonymousRowsPruner],
})
export class PruningModule {}
