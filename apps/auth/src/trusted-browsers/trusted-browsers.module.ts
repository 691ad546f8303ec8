import { Module } from '@nestjs/common';
import { TrustedBrowsersService } from './trusted-browsers.service';

/** Trusted browsers: issue at verify, recognise at login, list and revoke (AUTH-9). */
@Module({
  providers: [TrustedBrowsersService],
  exports: [TrustedBrowsersService],
})
export class TrustedBrowsersModule {}
