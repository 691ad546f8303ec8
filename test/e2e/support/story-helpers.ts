import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { ApiClient, extractCode, natsUserEnv, SmtpSink, WebhookSink } from '@app/testing';

const run = promisify(execFile);

/** `npm run cli -- operator:create …`, run as the built CLI against the test run's NATS. */
export async function createOperator(userId: string, email: string, password: string): Promise<string> {
  const { stdout } = await run(
    process.execPath,
    [
      'dist/apps/cli/src/main.js',
      'operator:create',
      '--user-id',
      userId,
      '--email',
      email,
      '--password',
      password,
    ],
    // As the CLI's own NATS user: the only one NATS lets create operators.
    { env: { ...process.env, ...natsUserEnv('cli') }, timeout: 30_000 },
  );
  return stdout;
}

/** Password, then a code by e-mail read from what the SMTP server received, then tokens. */
export async function loginWithEmailCode(
  api: ApiClient,
  smtp: SmtpSink,
  userId: string,
  email: string,
  password: string,
): Promise<any> {
  const first = await api.post('/auth/login', { userId, password });
  expect(first.status).toBe(200);
  expect(first.body.status).toBe('second_factor_required');
  const challenge = await api.post(`/auth/login/${first.body.flowId}/challenge`, { method: 'email' });
  expect(challenge.status).toBe(202);
  const mail = await smtp.waitFor((m) => m.to.includes(email) && /\b\d{6}\b/.test(m.text ?? ''));
  smtp.clear();
  const verified = await api.post(`/auth/login/${first.body.flowId}/verify`, {
    method: 'email',
    code: extractCode(mail.text ?? ''),
  });
  expect(verified.status).toBe(200);
  expect(verified.body.status).toBe('authenticated');
  return verified.body;
}

/** Password, then a code by SMS read from what the SMS webhook received, then tokens. */
export async function loginWithSmsCode(
  api: ApiClient,
  sms: WebhookSink,
  userId: string,
  phone: string,
  password: string,
): Promise<any> {
  const first = await api.post('/auth/login', { userId, password });
  expect(first.status).toBe(200);
  expect(first.body.status).toBe('second_factor_required');
  const challenge = await api.post(`/auth/login/${first.body.flowId}/challenge`, { method: 'sms' });
  expect(challenge.status).toBe(202);
  const message = await sms.waitFor((m) => m.to === phone);
  sms.clear();
  const verified = await api.post(`/auth/login/${first.body.flowId}/verify`, {
    method: 'sms',
    code: extractCode(message.body),
  });
  expect(verified.status).toBe(200);
  expect(verified.body.status).toBe('authenticated');
  return verified.body;
}
