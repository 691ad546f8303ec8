import { Module } from '@nestjs/common';
import { CryptoModule } from '../crypto/crypto.module';
import { FlowsModule } from '../flows/flows.module';
import { UsersModule } from '../users/users.module';
import { TotpCodes } from './totp-codes';
import { TotpRepository } from './totp.repository';
import { TotpController } from './totp.controller';
import { TotpCredentialsService } from './totp-credentials.service';
import { TotpSecondStepService } from './totp-second-step.service';

/** Authenticator apps (AUTH-8): enrolment under step-up, and the `totp` second-step method. */
@Module({
  imports: [CryptoModule, UsersModule, FlowsModule],
  controllers: [TotpController],
  providers: [TotpRepository, TotpCodes, TotpCredentialsService, TotpSecondStepService],
})
export class TotpModule {}
