import 'reflect-metadata';
import { loadConfig } from '@app/config';
import { startService } from '@app/messaging';
import { auditServiceEnvSchema } from './audit-env.schema';
import { AuditModule } from './audit.module';

void startService('audit', AuditModule, () => loadConfig(auditServiceEnvSchema));
