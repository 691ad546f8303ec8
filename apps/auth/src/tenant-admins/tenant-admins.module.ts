import { Module } from '@nestjs/common';
import { LockoutModule } from '../lockout/lockout.module';
import { UsersModule } from '../users/users.module';
import { TenantAdminsController } from './tenant-admins.controller';
import { TenantAdminsRepository } from './tenant-admins.repository';
import { TenantAdminsService } from './tenant-admins.service';

/** Operators read a tenant's representative admins (CASE-1). */
@Module({
  imports: [UsersModule, LockoutModule],
  controllers: [TenantAdminsController],
  providers: [TenantAdminsRepository, TenantAdminsService],
})
export class TenantAdminsModule {}
