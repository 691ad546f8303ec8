import { Module } from '@nestjs/common';
import { CryptoModule } from '../crypto/crypto.module';
import { FlowsModule } from '../flows/flows.module';
import { UsersModule } from '../users/users.module';
import { TrustedBrowsersController } from './trusted-browsers.controller';
import { TrustedBrowsersRepository } from './trusted-browsers.repository';
import { TrustedBrowsersService } from './trusted-browsers.service';

/**
 * Trusted browsers: issue at verify, recognise at login, list and revoke (AUTH-9). Depends on
 * accounts and FlowsModule (step-up for revocations), so any area — the login, the risk check, the
 * profile's security overview — can import it without a cycle.
 */
@Module({
  imports: [CryptoModule, UsersModule, FlowsModule],
  controllers: [TrustedBrowsersController],
  providers: [TrustedBrowsersService, TrustedBrowsersRepository],
  exports: [TrustedBrowsersService, TrustedBrowsersRepository],
})
export class TrustedBrowsersModule {}
