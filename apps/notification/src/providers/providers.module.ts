import { Module } from '@nestjs/common';
import { APP_CONFIG, ConfigError, NotificationEnv } from '@app/config';
import { DevOutboxModule } from '../dev-outbox/dev-outbox.module';
import { DevOutboxStore } from '../dev-outbox/dev-outbox.store';
import { NOTIFICATION_LOGGER, NotificationLogger } from '../notification.logger';
import { EmailSender } from './email-sender';
import { OutboxEmailSender } from './outbox-email.sender';
import { OutboxSmsSender } from './outbox-sms.sender';
import { SmsSender } from './sms-sender';
import { DkimSettings, SmtpEmailSender } from './smtp-email.sender';
import { twilioSettings } from './twilio-settings';
import { TwilioSmsSender } from './twilio-sms.sender';
import { webhookUrlAllowed } from './webhook-url.util';
import { WebhookSmsSender } from './webhook-sms.sender';

function warnIfOutboxInProduction(config: NotificationEnv, logger: NotificationLogger, what: string): void {
  if (config.NODE_ENV === 'production') {
    logger.warn(`${what}: NODE_ENV=production has no development outbox, so these messages will fail`);
  }
}

/** Picks the e-mail and SMS adapters from the configuration (API.md "Running"). */
@Module({
  imports: [DevOutboxModule],
  providers: [
    {
      provide: EmailSender,
      inject: [APP_CONFIG, DevOutboxStore, NOTIFICATION_LOGGER],
      useFactory: (
        config: NotificationEnv,
        outbox: DevOutboxStore,
        logger: NotificationLogger,
      ): EmailSender => {
        if (config.SMTP_URL) {
          return new SmtpEmailSender(
            config.SMTP_URL,
            config.MAIL_FROM,
            config.SMTP_REQUIRE_TLS !== 'false',
            config.BOUNCE_ADDRESS,
            dkimSettings(config),
            config.SMTP_POOL_CONNECTIONS,
            config.SMTP_MAX_MESSAGES_PER_CONNECTION,
          );
        }
        warnIfOutboxInProduction(config, logger, 'SMTP_URL is unset');
        return new OutboxEmailSender(outbox);
      },
    },
    {
      provide: SmsSender,
      inject: [APP_CONFIG, DevOutboxStore, NOTIFICATION_LOGGER],
      useFactory: (
        config: NotificationEnv,
        outbox: DevOutboxStore,
        logger: NotificationLogger,
      ): SmsSender => {
        switch (config.SMS_PROVIDER) {
          case 'webhook':
            return new WebhookSmsSender(requireWebhookUrl(config), {
              authHeader: config.SMS_WEBHOOK_AUTH_HEADER,
            });
          case 'twilio':
            return new TwilioSmsSender(twilioSettings(config));
          case 'outbox':
            warnIfOutboxInProduction(config, logger, 'SMS_PROVIDER=outbox');
            return new OutboxSmsSender(outbox);
        }
      },
    },
  ],
  exports: [EmailSender, SmsSender],
})
export class ProvidersModule {}

/** DKIM_DOMAIN, DKIM_SELECTOR and DKIM_PRIVATE_KEY: all three sign mail, none leaves it unsigned. */
export function dkimSettings(config: NotificationEnv): DkimSettings | undefined {
  const set = [config.DKIM_DOMAIN, config.DKIM_SELECTOR, config.DKIM_PRIVATE_KEY].filter(Boolean).length;
  if (set === 0) {
    return undefined;
  }
  if (set !== 3) {
    throw new ConfigError([
      'DKIM_DOMAIN, DKIM_SELECTOR and DKIM_PRIVATE_KEY are invalid because DKIM signing needs all three',
    ]);
  }
  // An environment variable rarely holds line breaks: `\n` stands for them.
  const privateKey = (config.DKIM_PRIVATE_KEY ?? '').replace(/\\n/g, '\n');
  if (!privateKey.includes('PRIVATE KEY-----')) {
    throw new ConfigError(['DKIM_PRIVATE_KEY=<secret> is invalid because it must be a PEM private key']);
  }
  return {
    domainName: config.DKIM_DOMAIN ?? '',
    keySelector: config.DKIM_SELECTOR ?? '',
    privateKey,
  };
}

/** SMS_PROVIDER=webhook needs SMS_WEBHOOK_URL; said in the config's own words. */
export function requireWebhookUrl(config: NotificationEnv): string {
  if (config.SMS_PROVIDER === 'webhook' && !config.SMS_WEBHOOK_URL) {
    throw new ConfigError(['SMS_WEBHOOK_URL (unset) is invalid because SMS_PROVIDER=webhook needs it']);
  }
  const url = config.SMS_WEBHOOK_URL ?? '';
  if (
    url &&
    !webhookUrlAllowed(url, config.SMS_WEBHOOK_ALLOW_HTTP === 'true' && config.NODE_ENV !== 'production')
  ) {
    throw new ConfigError([
      'SMS_WEBHOOK_URL=<secret> is invalid because it must be https:// (http:// only to the loopback, or with SMS_WEBHOOK_ALLOW_HTTP=true outside production)',
    ]);
  }
  return url;
}

export { webhookUrlAllowed };
