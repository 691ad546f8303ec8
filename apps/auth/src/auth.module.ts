import { Module } from '@nestjs/common';
import { authEnvSchema } from '@app/config';
import { DatabaseModule } from '@app/database';
import { ServiceCoreModule } from '@app/messaging';
import { AccountsModule } from './accounts.module';
import { LoginModule } from './login.module';
import { AUTH_ENTITIES, AUTH_MIGRATIONS, AUTH_SCHEMA } from './auth.entities';
import { RedisHealthIndicator } from './health/redis-health.indicator';
import { LoginHistoryModule } from './login-history/login-history.module';
import { MeModule } from './me/me.module';
import { PasskeysModule } from './passkeys/passkeys.module';
import { PruningModule } from './pruning/pruning.module';
import { PushModule } from './push/push.module';
import { TotpModule } from './totp/totp.module';
import { TrustedBrowsersModule } from './trusted-browsers/trusted-browsers.module';

/**
 * The auth service: login flows, credentials, second steps, sessions, lockout and reset policies,
 * users and tenants (SPEC §2).
 */
@Module({
  imports: [
    ServiceCoreModule.forService('auth', authEnvSchema),
    DatabaseModule.forService({
      schema: AUTH_SCHEMA,
      entities: AUTH_ENTITIES,
      migrations: AUTH_MIGRATIONS,
      extraHealthIndicators: [RedisHealthIndicator],
    }),
    AccountsModule,
    LoginModule,
    MeModule,
    TrustedBrowsersModule,
    TotpModule,
    PushModule,
    PasskeysModule,
    LoginHistoryModule,
    PruningModule,
  ],
})
export class AuthModule {}
