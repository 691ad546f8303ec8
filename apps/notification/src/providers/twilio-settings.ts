import { ConfigError, NotificationEnv } from '@app/config';
import { webhookUrlAllowed } from './webhook-url.util';

/** The gateway's route for Twilio's delivery receipts, under its public address. */
export const TWILIO_CALLBACK_PATH = '/api/v1/integrations/sms-status/twilio';

export interface TwilioSettings {
  accountSid: string;
  authToken: string;
  /** Exactly one of `from` and `messagingServiceSid`. */
  from?: string;
  messagingServiceSid?: string;
  baseUrl: string;
  /** Without query; each message's callback adds `?messageId=…` (see `twilioCallbackUrl`). */
  statusCallbackUrl: string;
}

/**
 * SMS_PROVIDER=twilio's settings, checked together and said in the config's own words: the account,
 * its token, a sender, an API address that is HTTPS (plain HTTP only to this machine, for a local
 * test server: the request carries the code and the account's password).
 */
export function twilioSettings(config: NotificationEnv): TwilioSettings {
  const problems: string[] = [];
  if (!config.TWILIO_ACCOUNT_SID) {
    problems.push('TWILIO_ACCOUNT_SID (unset) is invalid because SMS_PROVIDER=twilio needs it');
  }
  if (!config.TWILIO_AUTH_TOKEN) {
    problems.push('TWILIO_AUTH_TOKEN (unset) is invalid because SMS_PROVIDER=twilio needs it');
  }
  if (!config.TWILIO_FROM && !config.TWILIO_MESSAGING_SERVICE_SID) {
    problems.push(
      'TWILIO_FROM (unset) is invalid because SMS_PROVIDER=twilio needs it or TWILIO_MESSAGING_SERVICE_SID',
    );
  }
  if (!webhookUrlAllowed(config.TWILIO_BASE_URL, false)) {
    problems.push(
      `TWILIO_BASE_URL=${config.TWILIO_BASE_URL} is invalid because it must be https:// (http:// only to the loopback)`,
    );
  }
  if (problems.length > 0) {
    throw new ConfigError(problems);
  }
  const callback =
    config.TWILIO_STATUS_CALLBACK_URL ?? `${config.PUBLIC_URL.replace(/\/+$/, '')}${TWILIO_CALLBACK_PATH}`;
  return {
    accountSid: config.TWILIO_ACCOUNT_SID!,
    authToken: config.TWILIO_AUTH_TOKEN!,
    ...(config.TWILIO_MESSAGING_SERVICE_SID
      ? { messagingServiceSid: config.TWILIO_MESSAGING_SERVICE_SID }
      : { from: config.TWILIO_FROM! }),
    baseUrl: config.TWILIO_BASE_URL.replace(/\/+$/, ''),
    statusCallbackUrl: callback.split('?')[0],
  };
}

/**
 * The callback URL given with one message: our message id in it, so the receipt finds the message
 * even when the answer carrying Twilio's sid was lost (a crash mid-call: `outcome_unknown`). Twilio
 * signs this exact URL, so the id cannot be altered on the way.
 */
export function twilioCallbackUrl(
  settings: Pick<TwilioSettings, 'statusCallbackUrl'>,
  messageId?: string,
): string {
  return messageId === undefined
    ? settings.statusCallbackUrl
    : `${settings.statusCallbackUrl}?messageId=${encodeURIComponent(messageId)}`;
}
