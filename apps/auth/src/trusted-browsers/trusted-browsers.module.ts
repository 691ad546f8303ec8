import { Module } from '@nestjs/common';
import { SecretHasher } from '../crypto/secret-hasher';
import { FlowsModule } from '../login-flow/flows.module';
import { SessionsModule } from '../sessions/sessions.module';
import { TrustedBrowsersController } from './trusted-browsers.controller';
import { TrustedBrowsersRepository } from './trusted-browsers.repository';
import { TrustedBrowsersService } from './trusted-browsers.service';

/**
 * Trusted browsers: issue at verify, recognise at login, list and revoke (AUTH-9). Depends only on
 * SessionsModule (accounts) and FlowsModule (step-up for revocations), so any area — the login, the
 * profile's security overview — can import it without a cycle. SecretHasher is stateless: this
 * module's own instance is the same thing as the accounts side's.
 */
@Module({
  imports: [SessionsModule, FlowsModule],
  controllers: [TrustedBrowsersController],
  providers: [TrustedBrowsersService, TrustedBrowsersRepository, SecretHasher],
  exports: [TrustedBrowsersService, TrustedBrowsersRepository],
})
export class TrustedBrowsersModule {}
