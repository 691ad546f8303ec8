import { Module } from '@nestjs/common';
import { LockoutModule } from '../lockout/lockout.module';
import { UsersModule } from '../users/users.module';
import { TenantsController } from './tenants.controller';
import { TenantsRepository } from './tenants.repository';
import { TenantsService } from './tenants.service';

/** Operators' tenant onboarding and memberships (AUTH-18). */
@Module({
  imports: [UsersModule, LockoutModule],
  controllers: [TenantsController],
  providers: [TenantsRepository, TenantsService],
})
export class TenantsModule {}
