import 'reflect-metadata';
import { caseManagementEnvSchema, loadConfig } from '@app/config';
import { startService } from '@app/messaging';
import { CaseManagementModule } from './case-management.module';

void startService('case-management', CaseManagementModule, () => loadConfig(caseManagementEnvSchema));
