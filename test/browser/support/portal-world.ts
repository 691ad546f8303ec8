import { ApiClient, type Platform, type SmtpSink, startPlatform, type WebhookSink } from '@app/testing';
import { horizontalOverflow, installAxe, seriousViolations } from './axe';
import { launchBrowser, type Browser } from './browser';

/** What every browser spec of the portal runs against: the platform, Chromium, an API client. */
export interface PortalWorld {
  platform: Platform;
  browser: Browser;
  api: ApiClient;
}

/** The sinks a spec reads mail and SMS from; the platform is wired to them. */
export interface PortalSinks {
  smtp: SmtpSink;
  sms?: WebhookSink;
}

/**
 * Starts the sinks, the platform (mail to the SMTP sink, SMS to the webhook sink when there is one,
 * links to `https://portal.example` unless `env` says otherwise) and Chromium at phone size with
 * axe-core installed.
 */
export async function startPortalWorld(
  sinks: PortalSinks,
  options: { run: string; locale: string; port?: number; env?: Record<string, string> },
): Promise<PortalWorld> {
  const [mail, hook] = await Promise.all([sinks.smtp.start(), sinks.sms?.start()]);
  const platform = await startPlatform({
    ...(options.port === undefined ? {} : { port: options.port }),
    env: {
      SMTP_URL: mail.url,
      ...(hook ? { SMS_PROVIDER: 'webhook', SMS_WEBHOOK_URL: hook.url } : {}),
      PUBLIC_URL: 'https://portal.example',
      ...options.env,
    },
  });
  const browser = await launchBrowser({ locale: options.locale, width: 360, height: 740, run: options.run });
  await installAxe(browser.context);
  return { platform, browser, api: new ApiClient(platform.baseUrl) };
}

/** Stops whatever `startPortalWorld` got to start. */
export async function stopPortalWorld(world: Partial<PortalWorld>, sinks: PortalSinks): Promise<void> {
  await world.browser?.close();
  await world.platform?.stop();
  await Promise.all([sinks.smtp.stop(), sinks.sms?.stop()]);
}

/** Every screen: no serious accessibility violation, nothing wider than the phone, a screenshot. */
export async function checkScreen(browser: Browser, name: string): Promise<void> {
  await browser.screenshot(name);
  expect(await seriousViolations(browser.page)).toEqual([]);
  expect(await horizontalOverflow(browser.page)).toBeLessThanOrEqual(0);
}
