import http from 'node:http';
import net, { AddressInfo } from 'node:net';
import { SmtpSink } from '@app/testing';
import { recipientHash, recipientHashes } from '../messages/recipient-hash.util';
import { DeliveryError } from './delivery.error';
import { webhookUrlAllowed } from './providers.module';
import { SmtpEmailSender } from './smtp-email.sender';
import { MAX_RESPONSE_BYTES, WebhookSmsSender } from './webhook-sms.sender';

jest.setTimeout(20_000);

const mail = {
  messageId: 'm-1',
  template: 'security-code' as const,
  to: ['user@example.com'],
  subject: 'Code',
  text: 'Your code is 123456',
};
const sms = {
  messageId: 's-1',
  template: 'security-code' as const,
  to: ['+819012345678'],
  text: 'Your code is 123456',
};

describe('SMTP transport', () => {
  const sink = new SmtpSink();
  let url: string;

  beforeAll(async () => {
    // The sink offers no STARTTLS: what a relay stripped by a man in the middle looks like.
    url = (await sink.start()).url;
  });
  afterAll(() => sink.stop());

  it('refuses to send in clear when the server offers no STARTTLS (requireTLS, the default)', async () => {
    const sender = new SmtpEmailSender(url, 'noreply@example.com');
    try {
      await expect(sender.send(mail)).rejects.toBeInstanceOf(DeliveryError);
      expect(sink.messages()).toHaveLength(0);
    } finally {
      sender.onApplicationShutdown();
    }
  });

  it('sends to a local relay when SMTP_REQUIRE_TLS=false', async () => {
    const sender = new SmtpEmailSender(url, 'noreply@example.com', false);
    try {
      await sender.send(mail);
      expect(sink.messages()).toHaveLength(1);
    } finally {
      sender.onApplicationShutdown();
    }
  });

  it("names the mail after its message id at the sender's domain, sent from the bare sender address", async () => {
    sink.clear();
    const sender = new SmtpEmailSender(url, 'Mamori <noreply@example.com>', false);
    try {
      await sender.send(mail);
      await sender.send({ ...mail, messageId: 'm-2', from: 'Support Desk <support@desk.example>' });
      expect(sink.messages().map(({ mailFrom, messageId, from }) => ({ mailFrom, messageId, from }))).toEqual(
        [
          {
            mailFrom: 'noreply@example.com',
            messageId: '<m-1@example.com>',
            from: 'Mamori <noreply@example.com>',
          },
          {
            mailFrom: 'support@desk.example',
            messageId: '<m-2@desk.example>',
            from: 'Support Desk <support@desk.example>',
          },
        ],
      );
    } finally {
      sender.onApplicationShutdown();
    }
  });

  it('writes a message to the server in one piece, not a write per part of it (WholeMessage)', async () => {
    const sender = new SmtpEmailSender(url, 'noreply@example.com', false);
    const port = Number(new URL(url).port);
    const write = jest.spyOn(net.Socket.prototype, 'write');
    try {
      // The first send also opens the connection (greeting, EHLO): count the second one only.
      await sender.send({ ...mail, html: '<p>Your code is 123456</p>' });
      write.mockClear();
      await sender.send({ ...mail, html: '<p>Your code is 123456</p>' });
      const ours = write.mock.calls
        .filter((_call, i) => (write.mock.contexts[i] as net.Socket).remotePort === port)
        .map(([data]) => String(data));
      // The commands (MAIL FROM, RCPT TO and DATA go out corked together: PIPELINING), then the
      // message in one piece, then the closing dot.
      const commands = /^(MAIL FROM|RCPT TO|DATA\r\n$|\.\r\n$)/;
      expect(ours.filter((data) => !commands.test(data))).toEqual([
        expect.stringContaining('Your code is 123456'),
      ]);
    } finally {
      write.mockRestore();
      sender.onApplicationShutdown();
    }
  });

  describe('connections are kept (SMTP_MAX_MESSAGES_PER_CONNECTION)', () => {
    /** Sends `count` mails one after another over a pool of one connection; the connections opened. */
    const connectionsFor = async (count: number, maxMessagesPerConnection?: number): Promise<number> => {
      const sender = new SmtpEmailSender(
        url,
        'noreply@example.com',
        false,
        undefined,
        undefined,
        1,
        maxMessagesPerConnection,
      );
      const before = sink.connectionsOpened();
      try {
        for (let i = 0; i < count; i += 1) {
          await sender.send({ ...mail, messageId: `kept-${i}` });
        }
        return sink.connectionsOpened() - before;
      } finally {
        sender.onApplicationShutdown();
      }
    };

    it('by default one connection carries every message while the server keeps it open', async () => {
      // nodemailer's own default closed it after 100, and the messages handed to the next waited for it.
      await expect(connectionsFor(120)).resolves.toBe(1);
    });

    it('a limit opens a new connection after that many messages', async () => {
      await expect(connectionsFor(120, 50)).resolves.toBe(3);
    });
  });

  describe('refusals are bounces (NOTIF-6)', () => {
    const sender = () => new SmtpEmailSender(url, 'noreply@example.com', false, 'bounces@example.com');
    beforeEach(() => sink.clear());

    it('sends from a VERP return path naming the message', async () => {
      const s = sender();
      try {
        await s.send(mail);
        expect(sink.messages()[0].mailFrom).toBe('bounces+m-1@example.com');
      } finally {
        s.onApplicationShutdown();
      }
    });

    it('550 5.1.1 at RCPT: a permanent error carrying a hard bounce for that recipient, the reply text dropped', async () => {
      sink.refuse('user@example.com', 550, '5.1.1 <user@example.com>: Recipient address rejected');
      const s = sender();
      try {
        const error = (await s.send(mail).catch((e: unknown) => e)) as DeliveryError;
        expect(error).toBeInstanceOf(DeliveryError);
        expect(error).toMatchObject({ reason: 'smtp_550', permanent: true });
        expect(error.bounces).toEqual([
          {
            recipient: 'user@example.com',
            bounce: { type: 'hard', kind: 'no_such_mailbox', status: '5.1.1' },
          },
        ]);
        expect(JSON.stringify(error)).not.toContain('user@example.com');
      } finally {
        s.onApplicationShutdown();
      }
    });

    it('452 4.2.2 at RCPT is a soft bounce, retried', async () => {
      sink.refuse('user@example.com', 452, '4.2.2 Mailbox full');
      const s = sender();
      try {
        const error = (await s.send(mail).catch((e: unknown) => e)) as DeliveryError;
        expect(error).toMatchObject({ reason: 'smtp_452', permanent: false });
        expect(error.bounces[0].bounce).toEqual({ type: 'soft', kind: 'mailbox_full', status: '4.2.2' });
      } finally {
        s.onApplicationShutdown();
      }
    });

    it('one of two recipients refused: sent, with that one reported', async () => {
      sink.refuse('gone@example.com');
      const s = sender();
      try {
        const report = await s.send({ ...mail, to: ['user@example.com', 'gone@example.com'] });
        expect(report).toEqual({
          refused: [
            {
              recipient: 'gone@example.com',
              bounce: { type: 'hard', kind: 'no_such_mailbox', status: '5.1.1' },
            },
          ],
        });
        expect(sink.messages()[0].to).toEqual(['user@example.com']);
      } finally {
        s.onApplicationShutdown();
      }
    });

    it('a bare 554 at DATA, or a policy refusal (5.7.1), fails the message without a bounce', async () => {
      sink.failNext(1, 554);
      sink.refuse('blocked@example.com', 550, '5.7.1 Message refused by policy');
      const s = sender();
      try {
        const error = (await s.send(mail).catch((e: unknown) => e)) as DeliveryError;
        expect(error).toMatchObject({ reason: 'smtp_554', permanent: true });
        expect(error.bounces).toEqual([]);
        const policy = (await s
          .send({ ...mail, to: ['blocked@example.com'] })
          .catch((e: unknown) => e)) as DeliveryError;
        expect(policy).toMatchObject({ reason: 'smtp_550', permanent: true });
        expect(policy.bounces).toEqual([]);
      } finally {
        s.onApplicationShutdown();
      }
    });
  });
});

describe('SMS webhook transport', () => {
  let server: http.Server;
  let base: string;
  const seen: { path: string; authorization?: string }[] = [];
  let connections = 0;

  beforeAll(async () => {
    server = http.createServer((req, res) => {
      seen.push({ path: req.url ?? '', authorization: req.headers.authorization });
      req.resume();
      if (req.url === '/slow') {
        // Never answers: the sender's time-out must end the request.
        return;
      }
      if (req.url === '/fail') {
        res.writeHead(500).end('{}');
      } else if (req.url === '/redirect') {
        res.writeHead(307, { location: `${base}/elsewhere` }).end();
      } else if (req.url === '/huge') {
        res.writeHead(200, { 'content-type': 'text/plain' });
        // Far more than is ever read: the sender stops at MAX_RESPONSE_BYTES.
        const chunk = Buffer.alloc(64 * 1024, 'x');
        let sent = 0;
        const pump = (): void => {
          while (sent < 200 && res.write(chunk)) {
            sent++;
          }
          if (sent < 200) {
            res.once('drain', pump);
          } else {
            res.end();
          }
        };
        pump();
      } else {
        res.writeHead(202).end('{}');
      }
    });
    server.on('connection', () => connections++);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });

  it('sends the configured Authorization header', async () => {
    await new WebhookSmsSender(`${base}/send`, { authHeader: 'Bearer sms-key' }).send(sms);
    expect(seen.at(-1)).toEqual({ path: '/send', authorization: 'Bearer sms-key' });
  });

  it('never follows a redirect: the code and number go nowhere else', async () => {
    seen.length = 0;
    await expect(new WebhookSmsSender(`${base}/redirect`).send(sms)).rejects.toMatchObject({
      reason: 'webhook_redirect',
    });
    expect(seen.map((s) => s.path)).toEqual(['/redirect']);
  });

  it('reads a bounded part of the answer', async () => {
    expect(MAX_RESPONSE_BYTES).toBeLessThan(200 * 64 * 1024);
    await expect(new WebhookSmsSender(`${base}/huge`).send(sms)).resolves.toBeUndefined();
  });

  it('sends message after message over one kept-alive connection', async () => {
    const sender = new WebhookSmsSender(`${base}/send`);
    try {
      const before = connections;
      for (let i = 0; i < 5; i++) {
        await sender.send({ ...sms, messageId: `s-${i}` });
      }
      expect(connections - before).toBe(1);
    } finally {
      sender.onApplicationShutdown();
    }
  });

  it('fails a non-2xx answer, a request with no answer in time and an address nobody listens on', async () => {
    await expect(new WebhookSmsSender(`${base}/fail`).send(sms)).rejects.toMatchObject({
      reason: 'webhook_status_500',
      permanent: false,
      unreachable: false,
    });
    await expect(new WebhookSmsSender(`${base}/slow`, { timeoutMs: 200 }).send(sms)).rejects.toMatchObject({
      reason: 'webhook_timeout',
      unreachable: true,
    });
    const closed = http.createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise((resolve) => closed.close(resolve));
    await expect(new WebhookSmsSender(`http://127.0.0.1:${port}/send`).send(sms)).rejects.toMatchObject({
      reason: 'webhook_unreachable',
      unreachable: true,
    });
  });

  it('takes HTTPS, or http only to the loopback or by explicit setting', () => {
    expect(webhookUrlAllowed('https://sms.example.com/send', false)).toBe(true);
    expect(webhookUrlAllowed('http://127.0.0.1:8080/send', false)).toBe(true);
    expect(webhookUrlAllowed('http://localhost:8080/send', false)).toBe(true);
    expect(webhookUrlAllowed('http://sms.example.com/send', false)).toBe(false);
    expect(webhookUrlAllowed('http://sms.example.com/send', true)).toBe(true);
  });
});

describe(recipientHash.name, () => {
  it('is an HMAC keyed by the secret: not the plain hash, different per secret, stable per input', () => {
    const secret = 's'.repeat(32);
    const keyed = recipientHash('+81 90-1234-5678', secret);
    expect(keyed).toBe(recipientHash('+819012345678', secret));
    expect(keyed).not.toBe(recipientHash('+819012345678'));
    expect(keyed).not.toBe(recipientHash('+819012345678', 't'.repeat(32)));
    expect(recipientHashes('User@Example.com', secret)).toEqual([
      recipientHash('user@example.com', secret),
      recipientHash('user@example.com'),
    ]);
  });
});
