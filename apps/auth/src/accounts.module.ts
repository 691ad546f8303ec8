import { Module } from '@nestjs/common';
import { APP_CONFIG, AuthEnv } from '@app/config';
import { NotificationProducer } from '@app/messaging';
import { AdminUsersController } from './admin-users/admin-users.controller';
import { UserDirectoryController } from './directory/user-directory.controller';
import { EmailBounceController } from './directory/email-bounce.controller';
import { AdminUsersService } from './admin-users/admin-users.service';
import { SecretHasher } from './crypto/secret-hasher';
import { CredentialRefusal } from './lockout/credential-refusal';
import { LockoutService } from './lockout/lockout.service';
import { FlowsModule } from './login-flow/flows.module';
import { OperatorsController } from './operators/operators.controller';
import { PasswordHasher } from './password/password-hasher';
import { PasswordPolicy } from './password/password-policy';
import { PasswordPolicyController } from './password/password-policy.controller';
import { PasswordResetGuardRepository } from './password-reset/password-reset-guard.repository';
import { PasswordResetTokenRepository } from './password-reset/password-reset-token.repository';
import { PasswordResetController } from './password-reset/password-reset.controller';
import { PasswordResetService } from './password-reset/password-reset.service';
import { SmsSwitchOff } from './me/sms-switch-off.service';
import { UserNotices } from './me/user-notices';
import { SessionsModule } from './sessions/sessions.module';
import { TenantsController } from './tenants/tenants.controller';
import { TenantsService } from './tenants/tenants.service';
import { CallerVerifier } from './users/caller-verifier';
import { UsersService } from './users/users.service';
import { SendCapsModule } from './send-caps/send-caps.module';

/**
 * Users, tenants, operators, password policy and hashing, lockout, password reset.
 *
 * Exports what the login side needs (lockout, hashing, policy, users, the HMAC of secrets, the
 * notification producer — one Redis connection per process). The reset flow and the admin's
 * "disable" end sessions through SessionsModule, and admin changes ask for step-up through
 * FlowsModule; both depend on nothing here, so there is no import cycle.
 */
@Module({
  imports: [SessionsModule, FlowsModule, SendCapsModule],
  controllers: [
    OperatorsController,
    TenantsController,
    AdminUsersController,
    PasswordPolicyController,
    PasswordResetController,
    UserDirectoryController,
    EmailBounceController,
  ],
  providers: [
    SecretHasher,
    PasswordHasher,
    {
      provide: PasswordPolicy,
      inject: [APP_CONFIG],
      useFactory: (config: AuthEnv) => new PasswordPolicy(config.PASSWORD_POLICY),
    },
    LockoutService,
    CredentialRefusal,
    NotificationProducer,
    CallerVerifier,
    UsersService,
    TenantsService,
    AdminUsersService,
    PasswordResetGuardRepository,
    PasswordResetTokenRepository,
    PasswordResetService,
    // AUTH-19's switch-off lives with the profile code but is used by admins' edits as well.
    SmsSwitchOff,
    UserNotices,
  ],
  exports: [
    SmsSwitchOff,
    UserNotices,
    SecretHasher,
    PasswordHasher,
    PasswordPolicy,
    LockoutService,
    CredentialRefusal,
    NotificationProducer,
    CallerVerifier,
    UsersService,
  ],
})
export class AccountsModule {}
