import { Module } from '@nestjs/common';
import { AccountsModule } from './accounts.module';
import { AuthHealthController } from './health/auth-health.controller';
import { LoginController } from './login-flow/login.controller';
import { LoginFlowService } from './login-flow/login-flow.service';
import { PasswordLoginService } from './login-flow/password-login.service';
import { SecurityCodesService } from './security-codes/security-codes.service';
import { SessionsModule } from './sessions/sessions.module';

/**
 * Login flows and security codes (AUTH-3, AUTH-5, AUTH-6), sessions and tokens through
 * SessionsModule (AUTH-15, AUTH-18), and `auth.health`.
 */
@Module({
  imports: [AccountsModule, SessionsModule],
  controllers: [LoginController, AuthHealthController],
  // NotificationProducer comes from AccountsModule: one queue connection per process.
  providers: [LoginFlowService, PasswordLoginService, SecurityCodesService],
})
export class LoginModule {}
