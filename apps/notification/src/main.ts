import 'reflect-metadata';
import { loadConfig, notificationEnvSchema } from '@app/config';
import { startService } from '@app/messaging';
import { NotificationModule } from './notification.module';
import { requireWebhookUrl } from './providers/providers.module';
import { twilioSettings } from './providers/twilio-settings';

void startService('notification', NotificationModule.forRoot(), () => {
  const config = loadConfig(notificationEnvSchema);
  // Fails at boot with the config's clear message rather than at the first SMS.
  requireWebhookUrl(config);
  if (config.SMS_PROVIDER === 'twilio') {
    twilioSettings(config);
  }
  return config;
});
