import { Module } from '@nestjs/common';
import { AccountsModule } from '../accounts.module';
import { FlowsModule } from '../login-flow/flows.module';
import { SessionsModule } from '../sessions/sessions.module';
import { MeController } from './me.controller';
import { OperatorMfaController } from './operator-mfa.controller';
import { OperatorMfaService } from './operator-mfa.service';
import { PasswordChangeService } from './password-change.service';
import { ProfileService } from './profile.service';
import { SecurityStateService } from './security-state.service';
import { SmsSwitchOff } from './sms-switch-off.service';
import { UserNotices } from './user-notices';

/**
 * Profile, password change, MFA state and automatic MFA changes (AUTH-17, AUTH-19, AUTH-20).
 * Exports SmsSwitchOff for any other place that removes a user's phone. It needs only the outbox,
 * the clock and the notification producer, so an area that cannot import this module (AccountsModule,
 * which this module imports) can list SmsSwitchOff and UserNotices among its own providers.
 */
@Module({
  imports: [AccountsModule, SessionsModule, FlowsModule],
  controllers: [MeController, OperatorMfaController],
  providers: [
    UserNotices,
    SmsSwitchOff,
    ProfileService,
    PasswordChangeService,
    SecurityStateService,
    OperatorMfaService,
  ],
  exports: [SmsSwitchOff, UserNotices],
})
export class MeModule {}
