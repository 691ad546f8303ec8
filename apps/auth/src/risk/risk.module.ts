import { Module } from '@nestjs/common';
import { TrustedBrowsersModule } from '../trusted-browsers/trusted-browsers.module';
import { SecondFactorDecider } from './second-factor-decider';

/** The second-step decision after a right password: policy, trusted browser, risk (AUTH-5, AUTH-9, AUTH-11). */
@Module({
  imports: [TrustedBrowsersModule],
  providers: [SecondFactorDecider],
  exports: [SecondFactorDecider],
})
export class RiskModule {}
