import { Module } from '@nestjs/common';
import { SavedFiltersController } from './saved-filters.controller';
import { SavedFiltersRepository } from './saved-filters.repository';
import { SavedFiltersService } from './saved-filters.service';

/** CASE-8: saved case filters with their visibility rules. */
@Module({
  controllers: [SavedFiltersController],
  providers: [SavedFiltersRepository, SavedFiltersService],
})
export class SavedFiltersModule {}
