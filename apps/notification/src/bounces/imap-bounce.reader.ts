import { Inject, Injectable, OnApplicationBootstrap, BeforeApplicationShutdown } from '@nestjs/common';
import { ImapFlow } from 'imapflow';
import { APP_CONFIG, NotificationEnv } from '@app/config';
import { NOTIFICATION_LOGGER, NotificationLogger } from '../notification.logger';
import { BounceReportHandler } from './bounce-report.handler';
import { imapSettings, ImapSettings } from './imap-settings';
import { MAX_REPORT_BYTES } from './report-parser';

/** Set on every message once read, so no message is processed twice (a keyword survives restarts). */
export const PROCESSED_KEYWORD = '$MamoriBounceRead';
/** Messages taken per round, so a flood of mail cannot hold the mailbox lock for long. */
const BATCH = 100;
const MIN_BACKOFF_MS = 1000;
const MAX_BACKOFF_MS = 60_000;

/**
 * Reads the bounce mailbox over IMAP (NOTIF-6): every BOUNCE_IMAP_POLL_MS, and at once when the server
 * announces new mail while idling, the messages without PROCESSED_KEYWORD are read, handed to
 * BounceReportHandler and then flagged `\Seen` and PROCESSED_KEYWORD (mail that is no report too, so
 * it is looked at once). A message whose bounce could not be recorded (the database is away) stays
 * unflagged and is read again next round. A lost connection is opened again, with a growing pause.
 */
@Injectable()
export class ImapBounceReader implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger: NotificationLogger;
  private stopped = false;
  private loop?: Promise<void>;
  private client?: ImapFlow;
  private wake?: () => void;
  /** Rounds completed, for tests and the logs. */
  rounds = 0;

  constructor(
    @Inject(APP_CONFIG) private readonly config: NotificationEnv,
    private readonly handler: BounceReportHandler,
    @Inject(NOTIFICATION_LOGGER) logger: NotificationLogger,
  ) {
    this.logger = logger.child({ component: ImapBounceReader.name });
  }

  onApplicationBootstrap(): void {
    const settings = imapSettings(this.config);
    if (settings) {
      this.loop = this.run(settings);
    }
  }

  async beforeApplicationShutdown(): Promise<void> {
    this.stopped = true;
    this.wake?.();
    this.client?.close();
    await this.loop;
  }

  /** Looks at the mailbox now instead of at the next poll. */
  poke(): void {
    this.wake?.();
  }

  private async run(settings: ImapSettings): Promise<void> {
    let backoff = MIN_BACKOFF_MS;
    while (!this.stopped) {
      const client = new ImapFlow({
        host: settings.host,
        port: settings.port,
        secure: settings.secure,
        ...(settings.requireStartTls ? { doSTARTTLS: true } : {}),
        auth: { user: settings.user, pass: settings.password },
        logger: false,
        connectionTimeout: 10_000,
        greetingTimeout: 10_000,
        socketTimeout: 5 * 60_000,
      } as ConstructorParameters<typeof ImapFlow>[0]);
      this.client = client;
      // Errors also close the connection; the loop below notices that and connects again.
      client.on('error', () => undefined);
      const closed = new Promise<void>((resolve) => client.once('close', () => resolve()));
      try {
        await client.connect();
        client.on('exists', () => this.wake?.());
        this.logger.info({ host: settings.host, mailbox: settings.mailbox }, 'bounce mailbox connected');
        backoff = MIN_BACKOFF_MS;
        while (!this.stopped && client.usable) {
          await this.round(client, settings.mailbox);
          this.rounds += 1;
          await this.pause(this.config.BOUNCE_IMAP_POLL_MS, closed);
        }
      } catch (error) {
        if (!this.stopped) {
          this.logger.warn(
            {
              err: error instanceof Error ? error.message.slice(0, 200) : typeof error,
              retryInMs: backoff,
            },
            'bounce mailbox unavailable; connecting again',
          );
        }
      } finally {
        await client.logout().catch(() => client.close());
      }
      if (!this.stopped) {
        await this.pause(backoff);
        backoff = Math.min(backoff * 2, MAX_BACKOFF_MS);
      }
    }
  }

  private async round(client: ImapFlow, mailbox: string): Promise<void> {
    const lock = await client.getMailboxLock(mailbox);
    try {
      const uids = (await client.search({ unKeyword: PROCESSED_KEYWORD }, { uid: true })) || [];
      for (const uid of uids.slice(0, BATCH)) {
        if (this.stopped) {
          return;
        }
        const message = await client.fetchOne(
          String(uid),
          { source: { start: 0, maxLength: MAX_REPORT_BYTES } },
          { uid: true },
        );
        if (message && message.source) {
          // Throws when the bounce cannot be recorded: the message stays unread for the next round.
          const outcome = await this.handler.handle(message.source, 'imap');
          this.logger.info({ uid, outcome }, 'bounce mailbox message read');
        }
        await client.messageFlagsAdd(String(uid), ['\\Seen', PROCESSED_KEYWORD], { uid: true });
      }
    } finally {
      lock.release();
    }
  }

  private pause(ms: number, closed?: Promise<void>): Promise<void> {
    return new Promise<void>((resolve) => {
      const timer = setTimeout(done, ms);
      function done(): void {
        clearTimeout(timer);
        resolve();
      }
      this.wake = done;
      void closed?.then(done);
    });
  }
}
