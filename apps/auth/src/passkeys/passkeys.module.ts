import { Module } from '@nestjs/common';
import { FlowsModule } from '../flows/flows.module';
import { LockoutModule } from '../lockout/lockout.module';
import { LoginFlowModule } from '../login-flow/login-flow.module';
import { UsersModule } from '../users/users.module';
import { PasskeyLoginController } from './passkey-login.controller';
import { PasskeyLoginService } from './passkey-login.service';
import { PasskeyManagementService } from './passkey-management.service';
import { PasskeyRegistrationService } from './passkey-registration.service';
import { PasskeyRepository } from './passkey.repository';
import { PasskeysController } from './passkeys.controller';
import { RelyingParty } from './relying-party';
import { WebauthnChallengeRepository } from './webauthn-challenge.repository';
import { WebauthnChallengeStore } from './webauthn-challenge.store';

/**
 * Passkeys: registration, management and passkey login (AUTH-10). Step-up from FlowsModule
 * (AUTH-12), the end of a login from LoginFlowModule, lockout from LockoutModule,
 * accounts from UsersModule. `PasskeyRepository` is exported for whoever shows the count.
 */
@Module({
  imports: [UsersModule, LockoutModule, FlowsModule, LoginFlowModule],
  controllers: [PasskeyLoginController, PasskeysController],
  providers: [
    RelyingParty,
    WebauthnChallengeStore,
    WebauthnChallengeRepository,
    PasskeyRepository,
    PasskeyLoginService,
    PasskeyRegistrationService,
    PasskeyManagementService,
  ],
  exports: [PasskeyRepository],
})
export class PasskeysModule {}
