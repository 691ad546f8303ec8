import { Module } from '@nestjs/common';
import { AnnouncementsModule } from '../announcements/announcements.module';
import { CasesModule } from '../cases/cases.module';
import { ContractsModule } from '../contracts/contracts.module';
import { HomeController } from './home.controller';
import { HomeService } from './home.service';
import { PortalLinksRepository } from './portal-links.repository';

/** CASE-11: the portal's home page and the per-tenant links to other portals. */
@Module({
  imports: [AnnouncementsModule, CasesModule, ContractsModule],
  controllers: [HomeController],
  providers: [HomeService, PortalLinksRepository],
})
export class HomeModule {}
