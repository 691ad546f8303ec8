import { Module } from '@nestjs/common';
import { FlowsModule } from '../flows/flows.module';
import { LockoutModule } from '../lockout/lockout.module';
import { MeModule } from '../me/me.module';
import { PasswordModule } from '../password/password.module';
import { SessionsModule } from '../sessions/sessions.module';
import { UsersModule } from '../users/users.module';
import { AdminUsersController } from './admin-users.controller';
import { AdminUsersService } from './admin-users.service';

/**
 * Tenant admins' management of their users (AUTH-4, AUTH-7, AUTH-19): every change under step-up.
 * MeModule for the SMS switch-off, which a phone removal by an admin triggers too.
 */
@Module({
  imports: [UsersModule, PasswordModule, LockoutModule, FlowsModule, SessionsModule, MeModule],
  controllers: [AdminUsersController],
  providers: [AdminUsersService],
})
export class AdminUsersModule {}
