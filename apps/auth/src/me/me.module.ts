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

/**
 * Profile, password change, MFA state and automatic MFA changes (AUTH-17, AUTH-19, AUTH-20).
 * SmsSwitchOff and UserNotices come from AccountsModule, whose admin edits remove phones too.
 */
@Module({
  imports: [AccountsModule, SessionsModule, FlowsModule],
  controllers: [MeController, OperatorMfaController],
  providers: [ProfileService, PasswordChangeService, SecurityStateService, OperatorMfaService],
})
export class MeModule {}
