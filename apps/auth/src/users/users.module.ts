import { Module } from '@nestjs/common';
import { NotificationProducer } from '@app/messaging';
import { PasswordModule } from '../password/password.module';
import { AuditFacts } from './audit-facts';
import { CallerVerifier } from './caller-verifier';
import { LoginAccountRepository } from './login-account.repository';
import { UserNotices } from './user-notices';
import { UsersRepository } from './users.repository';
import { UsersService } from './users.service';

/**
 * Accounts: the user and membership entities, the one reader of an account with its tenants
 * (LoginAccountRepository), lookups and creation, the caller's checks and the notices about an
 * account. The notification producer lives here: one queue connection per process.
 */
@Module({
  imports: [PasswordModule],
  providers: [
    AuditFacts,
    NotificationProducer,
    UsersRepository,
    LoginAccountRepository,
    CallerVerifier,
    UsersService,
    UserNotices,
  ],
  exports: [
    AuditFacts,
    NotificationProducer,
    LoginAccountRepository,
    CallerVerifier,
    UsersService,
    UserNotices,
  ],
})
export class UsersModule {}
