import { Module } from '@nestjs/common';
import { FlowsModule } from '../flows/flows.module';
import { LockoutModule } from '../lockout/lockout.module';
import { PasswordModule } from '../password/password.module';
import { RiskModule } from '../risk/risk.module';
import { SessionsModule } from '../sessions/sessions.module';
import { TrustedBrowsersModule } from '../trusted-browsers/trusted-browsers.module';
import { UsersModule } from '../users/users.module';
import { InitialPasswordService } from './initial-password.service';
import { LoginCompletion } from './login-completion.service';
import { LoginController } from './login.controller';
import { PasswordLoginService } from './password-login.service';
import { PasswordStepRepository } from './password-step.repository';
import { SecondStepRepository } from './second-step.repository';
import { SecondStepService } from './second-step.service';

/**
 * Login: the password step and its decision (AUTH-3, AUTH-5, AUTH-11), the second step through the
 * registered methods (AUTH-6), the initial password (AUTH-14), and the end of every login
 * (LoginCompletion, exported for passkey logins).
 */
@Module({
  imports: [
    UsersModule,
    PasswordModule,
    LockoutModule,
    FlowsModule,
    RiskModule,
    SessionsModule,
    TrustedBrowsersModule,
  ],
  controllers: [LoginController],
  providers: [
    PasswordLoginService,
    PasswordStepRepository,
    SecondStepService,
    SecondStepRepository,
    InitialPasswordService,
    LoginCompletion,
  ],
  exports: [LoginCompletion],
})
export class LoginFlowModule {}
