import { Module } from '@nestjs/common';
import { UsersModule } from '../users/users.module';
import { LoginHistoryExporter } from './export/login-history-exporter';
import { LoginHistoryController } from './login-history.controller';
import { LoginHistoryProjection } from './login-history.projection';
import { LoginHistoryRepository } from './login-history.repository';
import { LoginHistoryService } from './login-history.service';

/**
 * Login history and its exports (AUTH-22). The projection registers with the OutboxWriter at module
 * init, with the migrations: from then on every login fact the service records has its row.
 */
@Module({
  imports: [UsersModule],
  controllers: [LoginHistoryController],
  providers: [LoginHistoryProjection, LoginHistoryRepository, LoginHistoryService, LoginHistoryExporter],
})
export class LoginHistoryModule {}
