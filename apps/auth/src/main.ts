import 'reflect-metadata';
import { authEnvSchema, loadConfig } from '@app/config';
import { startService } from '@app/messaging';
import { AuthModule } from './auth.module';

void startService('auth', AuthModule, () => loadConfig(authEnvSchema));
