import { DynamicModule, Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { PassportModule } from '@nestjs/passport';
import { ConfigModule, GatewayEnv, gatewayEnvSchema } from '@app/config';
import { MessagingModule } from '@app/messaging';
import { ObservabilityModule } from '@app/observability';
import { AdminLoginHistoryController } from './admin/admin-login-history.controller';
import { AdminSecurityPolicyController } from './admin/admin-security-policy.controller';
import { AdminController } from './admin/admin.controller';
import { ApproverController } from './approver/approver.controller';
import { AuthController } from './auth/auth.controller';
import { LoginStatusController } from './auth/login-status.controller';
import { PasskeyLoginController } from './auth/passkey-login.controller';
import { PasswordController } from './auth/password.controller';
import { DevOutboxController } from './dev/dev-outbox.controller';
import { GatewayHealthController } from './health/gateway-health.controller';
import { ReadinessService } from './health/readiness.service';
import { MeLoginHistoryController } from './me/me-login-history.controller';
import { MeMfaController } from './me/me-mfa.controller';
import { MePasskeysController } from './me/me-passkeys.controller';
import { MeProfileController } from './me/me-profile.controller';
import { MeTrustedBrowsersController } from './me/me-trusted-browsers.controller';
import { OpsUsersController } from './ops/ops-users.controller';
import { OpsController } from './ops/ops.controller';
import { GatewayThrottlerGuard } from './rate-limit/gateway-throttler.guard';
import { RateLimitModule } from './rate-limit/rate-limit.module';
import { GatewayRedisModule } from './redis/gateway-redis.module';
import { JwtAuthGuard } from './security/jwt-auth.guard';
import { JwtStrategy } from './security/jwt.strategy';
import { RolesGuard } from './security/roles.guard';
import { TenantGuard } from './security/tenant.guard';
import { AuditSigningKeyController } from './audit/audit-signing-key.controller';

/**
 * The gateway (SPEC GW-1): HTTP only, no business rules. Controllers validate and forward over NATS;
 * the guards run in this order for every route: rate limit, access token, active tenant, role.
 */
@Module({})
export class GatewayModule {
  /** `overrides` replace validated environment values (tests: a low rate limit, a short NATS timeout). */
  static forRoot(overrides: Partial<GatewayEnv> = {}): DynamicModule {
    return {
      module: GatewayModule,
      imports: [
        ConfigModule.forRoot(gatewayEnvSchema, overrides),
        ObservabilityModule.forService('gateway', { healthEndpoints: false }),
        MessagingModule,
        GatewayRedisModule,
        RateLimitModule,
        PassportModule,
      ],
      controllers: [
        GatewayHealthController,
        AuthController,
        LoginStatusController,
        PasskeyLoginController,
        PasswordController,
        MeProfileController,
        MeMfaController,
        MePasskeysController,
        MeTrustedBrowsersController,
        MeLoginHistoryController,
        ApproverController,
        OpsController,
        OpsUsersController,
        AdminController,
        AdminLoginHistoryController,
        AdminSecurityPolicyController,
        DevOutboxController,
        AuditSigningKeyController,
      ],
      providers: [
        ReadinessService,
        JwtStrategy,
        { provide: APP_GUARD, useClass: GatewayThrottlerGuard },
        { provide: APP_GUARD, useClass: JwtAuthGuard },
        { provide: APP_GUARD, useClass: TenantGuard },
        { provide: APP_GUARD, useClass: RolesGuard },
      ],
    };
  }
}
