import { ConfigError, NotificationEnv } from '@app/config';

export interface ImapSettings {
  host: string;
  port: number;
  /** TLS from the start; otherwise STARTTLS, required unless the server is on this machine. */
  secure: boolean;
  requireStartTls: boolean;
  user: string;
  password: string;
  mailbox: string;
}

/** The bounce mailbox from BOUNCE_IMAP_URL or BOUNCE_IMAP_HOST & co.; null when none is configured. */
export function imapSettings(config: NotificationEnv): ImapSettings | null {
  if (config.BOUNCE_IMAP_URL) {
    const url = new URL(config.BOUNCE_IMAP_URL);
    const secure = url.protocol === 'imaps:';
    const user = decodeURIComponent(url.username) || config.BOUNCE_IMAP_USER;
    const password = decodeURIComponent(url.password) || config.BOUNCE_IMAP_PASSWORD;
    if (!user || !password) {
      throw new ConfigError([
        'BOUNCE_IMAP_URL=<secret> is invalid because it needs a user and password (in the URL or BOUNCE_IMAP_USER/BOUNCE_IMAP_PASSWORD)',
      ]);
    }
    const path = decodeURIComponent(url.pathname.replace(/^\//, ''));
    const host = url.hostname.replace(/^\[(.*)\]$/, '$1');
    return {
      host,
      port: url.port ? Number(url.port) : secure ? 993 : 143,
      secure,
      requireStartTls: !secure && !isLoopback(host),
      user,
      password,
      mailbox: path || config.BOUNCE_IMAP_MAILBOX,
    };
  }
  if (!config.BOUNCE_IMAP_HOST) {
    return null;
  }
  if (!config.BOUNCE_IMAP_USER || !config.BOUNCE_IMAP_PASSWORD) {
    throw new ConfigError(['BOUNCE_IMAP_HOST is invalid without BOUNCE_IMAP_USER and BOUNCE_IMAP_PASSWORD']);
  }
  const secure = config.BOUNCE_IMAP_TLS !== 'false';
  return {
    host: config.BOUNCE_IMAP_HOST,
    port: config.BOUNCE_IMAP_PORT ?? (secure ? 993 : 143),
    secure,
    requireStartTls: !secure && !isLoopback(config.BOUNCE_IMAP_HOST),
    user: config.BOUNCE_IMAP_USER,
    password: config.BOUNCE_IMAP_PASSWORD,
    mailbox: config.BOUNCE_IMAP_MAILBOX,
  };
}

/** A password may cross the loopback in clear; anywhere else a stripped STARTTLS must fail the login. */
function isLoopback(host: string): boolean {
  return host === 'localhost' || host === '::1' || /^127\./.test(host);
}
