import { DynamicModule, Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { AttachmentStoreModule } from '@app/attachment-store';
import { Clock, ConfigModule, GatewayEnv, gatewayEnvSchema, SystemClock } from '@app/config';
import { MessagingModule } from '@app/messaging';
import { ObservabilityModule } from '@app/observability';
import { AdminLoginHistoryController } from './admin/admin-login-history.controller';
import { AdminSecurityPolicyController } from './admin/admin-security-policy.controller';
import { AdminController } from './admin/admin.controller';
import { ApproverController } from './approver/approver.controller';
import { AuthController } from './auth/auth.controller';
import { CaseFiltersController } from './cases/case-filters.controller';
import { CasesController } from './cases/cases.controller';
import { CaseCategoriesController } from './cases/case-categories.controller';
import { ServiceSettingsController } from './cases/service-settings.controller';
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
import { MetricsServer } from './metrics/metrics-server';
import { OpsUsersController } from './ops/ops-users.controller';
import { OpsController } from './ops/ops.controller';
import { OpsStatusController } from './ops/ops-status.controller';
import { OpsQueuesController } from './ops-queues/ops-queues.controller';
import { RateLimitGuard } from './rate-limit/rate-limit.guard';
import { OpsCasesController } from './ops-cases/ops-cases.controller';
import { OpsCatalogueController } from './ops-cases/ops-catalogue.controller';
import { RateLimitModule } from './rate-limit/rate-limit.module';
import { GatewayRedisModule } from './redis/gateway-redis.module';
import { AccessTokenAuthenticator } from './security/access-token.authenticator';
import { JwksController } from './security/jwks.controller';
import { JwtAuthGuard } from './security/jwt-auth.guard';
import { RolesGuard } from './security/roles.guard';
import { TenantGuard } from './security/tenant.guard';
import { AuditSigningKeyController } from './audit/audit-signing-key.controller';
import { AsyncApiController } from './audit/asyncapi.controller';
import { AuditEventsExporter } from './audit/audit-events-export.service';
import { OpsAuditEventsController } from './ops/ops-audit-events.controller';
import { AlertQueuePublisher } from './integrations/alert-queue.publisher';
import { ApiKeyGuard } from './integrations/api-key.guard';
import { IntegrationAlertsController } from './integrations/integration-alerts.controller';
import { IntegrationMailEventsController } from './integrations/integration-mail-events.controller';
import { IntegrationKeyStore } from './integrations/integration-key.store';
import { OpsIntegrationsController } from './integrations/ops-integrations.controller';
import { AttachmentTransfer } from './attachments/attachment-transfer';
import { CaseAttachmentsController } from './attachments/case-attachments.controller';
import { OpsCaseAttachmentsController } from './attachments/ops-case-attachments.controller';
import { FilesSessionController } from './attachments/files-session.controller';
import { AnnouncementsController } from './announcements/announcements.controller';
import { OpsAnnouncementsController } from './announcements/ops-announcements.controller';
import { KnowledgeController } from './knowledge/knowledge.controller';
import { OpsMessagesController } from './messages/ops-messages.controller';
import { SmsStatusController } from './messages/sms-status.controller';
import { OpsKnowledgeController } from './knowledge/ops-knowledge.controller';
import { OpsWorkRequestsController } from './work-requests/ops-work-requests.controller';
import { WorkRequestsController } from './work-requests/work-requests.controller';
import { KnowledgeFilesController } from './knowledge/knowledge-files.controller';
import { OpsKnowledgeFilesController } from './knowledge/ops-knowledge-files.controller';

/**
 * The gateway (SPEC GW-1): HTTP only, no business rules. Controllers validate and forward over NATS;
 * the guards run in this order for every route: access token, rate limit, active tenant, role.
 */
@Module({})
export class GatewayModule {
  /** `overrides` replace validated environment values (tests: low rate limits, a short NATS timeout). */
  static forRoot(overrides: Partial<GatewayEnv> = {}): DynamicModule {
    return {
      module: GatewayModule,
      imports: [
        ConfigModule.forRoot(gatewayEnvSchema, overrides),
        ObservabilityModule.forService('gateway', { healthEndpoints: false }),
        MessagingModule,
        GatewayRedisModule,
        RateLimitModule,
        AttachmentStoreModule,
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
        OpsStatusController,
        CasesController,
        CaseCategoriesController,
        ServiceSettingsController,
        CaseFiltersController,
        OpsCasesController,
        OpsCatalogueController,
        JwksController,
        AuditSigningKeyController,
        OpsIntegrationsController,
        IntegrationAlertsController,
        IntegrationMailEventsController,
        CaseAttachmentsController,
        OpsCaseAttachmentsController,
        FilesSessionController,
        KnowledgeController,
        OpsKnowledgeController,
        KnowledgeFilesController,
        OpsKnowledgeFilesController,
        AnnouncementsController,
        OpsAnnouncementsController,
        OpsMessagesController,
        SmsStatusController,
        WorkRequestsController,
        OpsWorkRequestsController,
        OpsAuditEventsController,
        AsyncApiController,
        OpsQueuesController,
      ],
      providers: [
        ReadinessService,
        MetricsServer,
        AccessTokenAuthenticator,
        IntegrationKeyStore,
        ApiKeyGuard,
        AlertQueuePublisher,
        AttachmentTransfer,
        AuditEventsExporter,
        { provide: Clock, useClass: SystemClock },
        { provide: APP_GUARD, useClass: JwtAuthGuard },
        { provide: APP_GUARD, useExisting: RateLimitGuard },
        { provide: APP_GUARD, useClass: TenantGuard },
        { provide: APP_GUARD, useClass: RolesGuard },
      ],
    };
  }
}
