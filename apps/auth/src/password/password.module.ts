import { Module } from '@nestjs/common';
import { APP_CONFIG, AuthEnv } from '@app/config';
import { PasswordHasher } from './password-hasher';
import { PasswordPolicy } from './password-policy';
import { PasswordPolicyController } from './password-policy.controller';

/** Password hashing (argon2id) and the password policy with its published rules (AUTH-2). A leaf. */
@Module({
  controllers: [PasswordPolicyController],
  providers: [
    PasswordHasher,
    {
      provide: PasswordPolicy,
      inject: [APP_CONFIG],
      useFactory: (config: AuthEnv) => new PasswordPolicy(config.PASSWORD_POLICY),
    },
  ],
  exports: [PasswordHasher, PasswordPolicy],
})
export class PasswordModule {}
