import { Module } from '@nestjs/common';
import { AccountsModule } from '../accounts.module';
import { SecretBox } from '../crypto/secret-box';
import { FlowsModule } from '../login-flow/flows.module';
import { SessionsModule } from '../sessions/sessions.module';
import { TotpCodes } from './totp-codes';
import { TotpController } from './totp.controller';
import { TotpCredentialsService } from './totp-credentials.service';
import { TotpSecondStepService } from './totp-second-step.service';

/** Authenticator apps (AUTH-8): enrolment under step-up, and the `totp` second-step method. */
@Module({
  // AccountsModule: the account notices (UserNotices) and the one notification producer.
  imports: [FlowsModule, SessionsModule, AccountsModule],
  controllers: [TotpController],
  providers: [TotpCodes, SecretBox, TotpCredentialsService, TotpSecondStepService],
})
export class TotpModule {}
