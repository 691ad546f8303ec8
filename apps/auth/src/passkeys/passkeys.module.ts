import { Module } from '@nestjs/common';
import { AccountsModule } from '../accounts.module';
import { FlowsModule } from '../login-flow/flows.module';
import { LoginModule } from '../login.module';
import { SessionsModule } from '../sessions/sessions.module';
import { PasskeyLoginController } from './passkey-login.controller';
import { PasskeyLoginService } from './passkey-login.service';
import { PasskeyManagementService } from './passkey-management.service';
import { PasskeyRegistrationService } from './passkey-registration.service';
import { PasskeyRepository } from './passkey.repository';
import { PasskeysController } from './passkeys.controller';
import { RelyingParty } from './relying-party';
import { WebauthnChallengeStore } from './webauthn-challenge.store';

/**
 * Passkeys: registration, management and passkey login (AUTH-10). Step-up from FlowsModule
 * (AUTH-12), the end of a login from LoginModule, lockout from AccountsModule,
 * accounts from SessionsModule. `PasskeyRepository` is exported for whoever shows the count.
 */
@Module({
  imports: [AccountsModule, SessionsModule, FlowsModule, LoginModule],
  controllers: [PasskeyLoginController, PasskeysController],
  providers: [
    RelyingParty,
    WebauthnChallengeStore,
    PasskeyRepository,
    PasskeyLoginService,
    PasskeyRegistrationService,
    PasskeyManagementService,
  ],
  exports: [PasskeyRepository],
})
export class PasskeysModule {}
