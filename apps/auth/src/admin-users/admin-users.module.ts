import { Module } from '@nestjs/common';
import { FlowsModule } from '../flows/flows.module';
import { LockoutModule } from '../lockout/lockout.module';
import { MeModule } from '../me/me.module';
import { PasswordModule } from '../password/password.module';
import { SessionsModule } from '../sessions/sessions.module';
import { UsersModule } from '../users/users.module';
import { AdminUsersController } from './admin-users.controller';
import { AdminMemberChange } from './admin-member-change';
import { AdminMembersRepository } from './admin-members.repository';
import { AdminUserAccess } from './admin-user-access.service';
import { AdminUserCreation } from './admin-user-creation.service';
import { AdminUserDirectory } from './admin-user-directory.service';
import { AdminUserEdits } from './admin-user-edits.service';

/**
 * Tenant admins' management of their users (AUTH-4, AUTH-7, AUTH-19): every change under step-up.
 * MeModule for the SMS switch-off, which a phone removal by an admin triggers too. Split by what the
 * methods are: directory (reads), creation, edits, access; every change goes through AdminMemberChange.
 */
@Module({
  imports: [UsersModule, PasswordModule, LockoutModule, FlowsModule, SessionsModule, MeModule],
  controllers: [AdminUsersController],
  providers: [
    AdminMembersRepository,
    AdminMemberChange,
    AdminUserDirectory,
    AdminUserCreation,
    AdminUserEdits,
    AdminUserAccess,
  ],
})
export class AdminUsersModule {}
