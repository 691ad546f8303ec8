import { Global, Module } from '@nestjs/common';
import { IdSource, RandomIdSource } from './id-source';

/** What every feature of the service shares: the source of ids (the clock comes with DatabaseModule). */
@Global()
@Module({
  providers: [{ provide: IdSource, useClass: RandomIdSource }],
  exports: [IdSource],
})
export class CommonModule {}
