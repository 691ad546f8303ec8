import { Module } from '@nestjs/common';
import { authEnvSchema } from '@app/config';
import { DatabaseModule } from '@app/database';
import { ServiceCoreModule } from '@app/messaging';
import { AdminUsersModule } from './admin-users/admin-users.module';
import { AUTH_ENTITIES, AUTH_MIGRATIONS, AUTH_SCHEMA } from './auth.entities';
import { DirectoryModule } from './directory/directory.module';
import { HealthModule } from './health/health.module';
import { RedisHealthIndicator } from './health/redis-health.indicator';
import { LoginFlowModule } from './login-flow/login-flow.module';
import { LoginHistoryModule } from './login-history/login-history.module';
import { MeModule } from './me/me.module';
import { OperatorsModule } from './operators/operators.module';
import { PasskeysModule } from './passkeys/passkeys.module';
import { PasswordModule } from './password/password.module';
import { PasswordResetModule } from './password-reset/password-reset.module';
import { PruningModule } from './pruning/pruning.module';
import { PushModule } from './push/push.module';
import { RiskModule } from './risk/risk.module';
import { SecurityCodesModule } from './security-codes/security-codes.module';
import { SessionsModule } from './sessions/sessions.module';
import { TenantsModule } from './tenants/tenants.module';
import { TenantAdminsModule } from './tenant-admins/tenant-admins.module';
import { TokensModule } from './tokens/tokens.module';
import { TotpModule } from './totp/totp.module';
import { TrustedBrowsersModule } from './trusted-browsers/trusted-browsers.module';

/**
 * The auth service: login flows, credentials, second steps, sessions, lockout and reset policies,
 * users and tenants (SPEC §2). Each feature folder is a module; the map is in the README's
 * architecture section. Modules that only serve others (crypto, users, lockout, flows, send-caps)
 * come in through the features that import them.
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
    HealthModule,
    PasswordModule,
    TokensModule,
    SessionsModule,
    OperatorsModule,
    TenantsModule,
    TenantAdminsModule,
    DirectoryModule,
    AdminUsersModule,
    PasswordResetModule,
    RiskModule,
    LoginFlowModule,
    SecurityCodesModule,
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
