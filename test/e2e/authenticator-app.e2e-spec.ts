import { generate } from '@otplib/totp';
import { ApiClient, randomSuffix, SmtpSink, startPlatform, strongPassword } from '@app/testing';
import { TotpCodes } from '@app/auth/totp/totp-codes';
import { createOperator, loginWithEmailCode } from './support/story-helpers';

/**
 * AUTH-8 and AUTH-9 across replicas: with two auth processes behind the gateway, a TOTP code sent
 * twice at once on two login flows is accepted exactly once (the replay guard lives in the database,
 * not in a process), and the winner's trusted browser then skips the second step.
 */
describe('authenticator app and trusted browser across two auth replicas, end to end', () => {
  const smtp = new SmtpSink();
  let platform: Awaited<ReturnType<typeof startPlatform>>;
  let api: ApiClient;
  const suffix = randomSuffix();
  const operator = {
    userId: `ops-totp-${suffix}`,
    email: `ops-totp-${suffix}@provider.example`,
    password: strongPassword(),
  };

  beforeAll(async () => {
    const mail = await smtp.start();
    platform = await startPlatform({
      instances: { auth: 2 },
      env: { SMTP_URL: mail.url, SMTP_REQUIRE_TLS: 'false' },
    });
    api = new ApiClient(platform.baseUrl);
    await createOperator(operator.userId, operator.email, operator.password);
  });

  afterAll(async () => {
    await platform?.stop();
    await smtp.stop();
  });

  /** The code an authenticator app shows now, made by otplib from the enrolled secret. */
  const codeNow = (secret: string) => generate({ ...TotpCodes.plugins, secret });

  it('enrols, accepts one code once under a concurrent replay, and trusts the winner’s browser', async () => {
    // A fresh login with an e-mail code: the second step is recent, so enrolling needs no step-up.
    const tokens = await loginWithEmailCode(api, smtp, operator.userId, operator.email, operator.password);
    const me = api.withToken(tokens.accessToken);
    const enrolment = await me.post('/me/mfa/totp');
    expect(enrolment.status).toBe(201);
    expect(enrolment.body.otpauthUri).toContain(`secret=${enrolment.body.secret}`);
    const confirmed = await me.post('/me/mfa/totp/confirm', { code: await codeNow(enrolment.body.secret) });
    expect(confirmed.status).toBe(204);

    // A new time step, so the confirming code is not the one replayed below.
    const stepMs = 30_000;
    await new Promise((resolve) => setTimeout(resolve, stepMs - (Date.now() % stepMs) + 500));

    const flows: string[] = [];
    for (let i = 0; i < 2; i++) {
      const first = await api.post('/auth/login', { userId: operator.userId, password: operator.password });
      expect(first.body.status).toBe('second_factor_required');
      expect(first.body.methods.map((m: { type: string }) => m.type)).toContain('totp');
      flows.push(first.body.flowId);
    }
    const code = await codeNow(enrolment.body.secret);
    const answers = await Promise.all(
      flows.map((flowId) =>
        api.post(`/auth/login/${flowId}/verify`, {
          method: 'totp',
          code,
          trustBrowser: { name: 'Ops desk' },
        }),
      ),
    );
    expect(answers.map((a) => a.status).sort()).toEqual([200, 401]);
    const winner = answers.find((a) => a.status === 200)!;
    expect(winner.body.deviceToken).toEqual(expect.any(String));
    expect(winner.headers.get('set-cookie')).toContain('mamori_device=');

    const trusted = await api.post('/auth/login', {
      userId: operator.userId,
      password: operator.password,
      deviceToken: winner.body.deviceToken,
    });
    expect(trusted.status).toBe(200);
    expect(trusted.body.status).toBe('authenticated');
  });
});
