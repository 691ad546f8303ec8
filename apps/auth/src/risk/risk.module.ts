import { Module } from '@nestjs/common';
import { APP_CONFIG, AuthEnv } from '@app/config';
import { CryptoModule } from '../crypto/crypto.module';
import { FlowsModule } from '../flows/flows.module';
import { TrustedBrowsersModule } from '../trusted-browsers/trusted-browsers.module';
import { UsersModule } from '../users/users.module';
import { GeoLocation } from './geo-location';
import { LoginMemory } from './login-memory';
import { LoginMemoryRepository } from './login-memory.repository';
import { RiskAssessor } from './risk-assessor.service';
import { RISK_SIGNALS, RiskSignal } from './risk-signal';
import { SecondFactorDecider } from './second-factor-decider';
import { ImpossibleTravelSignal } from './signals/impossible-travel.signal';
import { NewDeviceSignal } from './signals/new-device.signal';
import { NewNetworkSignal } from './signals/new-network.signal';
import { RecentFailuresSignal } from './signals/recent-failures.signal';
import { parseUnusualHours, UNUSUAL_HOURS, UnusualHourSignal } from './signals/unusual-hour.signal';
import { TenantSecurityPolicyController } from './tenant-security-policy.controller';
import { TenantSecurityPolicyRepository } from './tenant-security-policy.repository';
import { TenantSecurityPolicyService } from './tenant-security-policy.service';

/** Every risk signal (AUTH-11, ours: pluggable). A new signal is a provider and one entry here. */
const SIGNALS = [
  NewDeviceSignal,
  NewNetworkSignal,
  RecentFailuresSignal,
  UnusualHourSignal,
  ImpossibleTravelSignal,
];

/**
 * The second-step decision after a right password: policy, trusted browser, risk (AUTH-5, AUTH-9,
 * AUTH-11), and the tenant admins' policy that feeds it. GeoLocation is exported so a deployment
 * with a geo database can plug its locator in.
 */
@Module({
  imports: [CryptoModule, UsersModule, FlowsModule, TrustedBrowsersModule],
  controllers: [TenantSecurityPolicyController],
  providers: [
    {
      provide: UNUSUAL_HOURS,
      inject: [APP_CONFIG],
      useFactory: (config: AuthEnv) => parseUnusualHours(config.RISK_UNUSUAL_HOURS),
    },
    ...SIGNALS,
    { provide: RISK_SIGNALS, inject: SIGNALS, useFactory: (...signals: RiskSignal[]) => signals },
    GeoLocation,
    LoginMemory,
    LoginMemoryRepository,
    RiskAssessor,
    SecondFactorDecider,
    TenantSecurityPolicyRepository,
    TenantSecurityPolicyService,
  ],
  exports: [SecondFactorDecider, GeoLocation],
})
export class RiskModule {}
