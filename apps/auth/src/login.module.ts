import { Module } from '@nestjs/common';
import { AccountsModule } from './accounts.module';
import { AuthHealthController } from './health/auth-health.controller';
import { InitialPasswordService } from './initial-password/initial-password.service';
import { FlowsModule } from './login-flow/flows.module';
import { LoginCompletion } from './login-flow/login-completion.service';
import { LoginController } from './login-flow/login.controller';
import { PasswordLoginService } from './login-flow/password-login.service';
import { PasswordStepRepository } from './login-flow/password-step.repository';
import { SecondStepService } from './login-flow/second-step.service';
import { RiskModule } from './risk/risk.module';
import { LoginCodeController } from './security-codes/login-code.controller';
import { SecurityCodesService } from './security-codes/security-codes.service';
import { SessionsModule } from './sessions/sessions.module';
import { TrustedBrowsersModule } from './trusted-browsers/trusted-browsers.module';
import { SendCapsModule } from './send-caps/send-caps.module';

/**
 * Login flows: the password step and its decision (AUTH-3, AUTH-5, AUTH-11), the second step through
 * the registered methods with security codes built in (AUTH-6), the initial password (AUTH-14), and
 * the end of every login (LoginCompletion, exported for passkey logins); `auth.health`.
 */
@Module({
  imports: [AccountsModule, SessionsModule, FlowsModule, RiskModule, TrustedBrowsersModule, SendCapsModule],
  controllers: [LoginController, AuthHealthController, LoginCodeController],
  // NotificationProducer comes from AccountsModule: one queue connection per process.
  providers: [
    PasswordLoginService,
    PasswordStepRepository,
    SecondStepService,
    SecurityCodesService,
    InitialPasswordService,
    LoginCompletion,
  ],
  exports: [LoginCompletion],
})
export class LoginModule {}
