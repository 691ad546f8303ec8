import { Module } from '@nestjs/common';
import { FlowsModule } from '../flows/flows.module';
import { LockoutModule } from '../lockout/lockout.module';
import { PasswordModule } from '../password/password.module';
import { SessionsModule } from '../sessions/sessions.module';
import { UsersModule } from '../users/users.module';
import { MeController } from './me.controller';
import { OperatorMfaController } from './operator-mfa.controller';
import { MeRepository } from './me.repository';
import { OperatorMfaService } from './operator-mfa.service';
import { PasswordChangeService } from './password-change.service';
import { ProfileService } from './profile.service';
import { SecurityStateService } from './security-state.service';
import { SmsSwitchOff } from './sms-switch-off.service';

/**
 * Profile, password change, MFA state and automatic MFA changes (AUTH-17, AUTH-19, AUTH-20).
 * SmsSwitchOff is exported: an admin's removal of a phone switches SMS codes off too.
 */
@Module({
  imports: [UsersModule, PasswordModule, LockoutModule, SessionsModule, FlowsModule],
  controllers: [MeController, OperatorMfaController],
  providers: [
    MeRepository,
    ProfileService,
    PasswordChangeService,
    SecurityStateService,
    OperatorMfaService,
    SmsSwitchOff,
  ],
  exports: [SmsSwitchOff],
})
export class MeModule {}
