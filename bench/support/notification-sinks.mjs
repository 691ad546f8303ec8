// The providers of bench/notification.mjs, run in a worker thread of the bench: a local SMTP sink and
// a local SMS HTTP server. On a thread of their own, the moment a message arrives is taken by an event
// loop that does nothing else; in the bench's main thread it waited behind the producer's 200
// enqueues a second and the bare measurements, and every code's latency included that wait.
//
// Each arrival is posted to the main thread as `{ type: 'arrived', id, at }`, `at` being
// `performance.timeOrigin + performance.now()`: the same clock on every thread of the process; each
// SMTP connection opened as `{ type: 'connected', at }`.
import http from 'node:http';
import { createRequire } from 'node:module';
import { monitorEventLoopDelay, performance } from 'node:perf_hooks';
import { parentPort } from 'node:worker_threads';

const require = createRequire(import.meta.url);
const { SMTPServer } = require('smtp-server');

const now = () => performance.timeOrigin + performance.now();
const arrived = (id) => parentPort.postMessage({ type: 'arrived', id, at: now() });
const loop = monitorEventLoopDelay({ resolution: 1 });

/** An SMTP server that only reads the X-Mamori-Message-Id header of what it is handed. */
async function startSmtpSink() {
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['AUTH', 'STARTTLS'],
    hideSTARTTLS: true,
    disableReverseLookup: true,
    logger: false,
    size: 1024 * 1024,
    // Each connection opened, so the bench can say how many fell in the code window: opening one
    // costs this server's greeting delay (smtp-server waits 100 ms to catch clients that talk first).
    onConnect(_session, callback) {
      parentPort.postMessage({ type: 'connected', at: now() });
      callback();
    },
    onData(stream, _session, callback) {
      let head = '';
      stream.on('data', (chunk) => {
        if (head.length < 16_384) {
          head += chunk.toString('latin1');
        }
      });
      stream.on('end', () => {
        const id = /^X-Mamori-Message-Id:\s*(\S+)/im.exec(head)?.[1];
        if (id) {
          arrived(id);
        }
        callback();
      });
    },
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, url: `smtp://127.0.0.1:${server.server.address().port}` };
}

/** The SMS webhook: `{messageId, to, body}` per number, answered 200. */
async function startSmsServer() {
  const server = http.createServer((req, res) => {
    let body = '';
    req.on('data', (c) => (body += c));
    req.on('end', () => {
      try {
        arrived(JSON.parse(body).messageId);
      } catch {
        // Not ours.
      }
      res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
    });
  });
  server.keepAliveTimeout = 60_000;
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, url: `http://127.0.0.1:${server.address().port}/sms` };
}

const [smtp, sms] = await Promise.all([startSmtpSink(), startSmsServer()]);
parentPort.on('message', (message) => {
  if (message.type === 'measure') {
    loop.reset();
    loop.enable();
  } else if (message.type === 'report') {
    loop.disable();
    parentPort.postMessage({
      type: 'report',
      loopDelayMs: { p50: loop.percentile(50) / 1e6, p99: loop.percentile(99) / 1e6, max: loop.max / 1e6 },
    });
  } else if (message.type === 'stop') {
    // Open connections (the pools' idle ones) are dropped, so closing does not wait for them.
    sms.server.closeAllConnections();
    Promise.all([
      new Promise((resolve) => smtp.server.close(resolve)),
      new Promise((resolve) => sms.server.close(resolve)),
    ]).then(() => parentPort.postMessage({ type: 'stopped' }));
  }
});
parentPort.postMessage({ type: 'ready', smtpUrl: smtp.url, smsUrl: sms.url });
