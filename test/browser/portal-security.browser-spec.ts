import { generate } from '@otplib/totp';
import type { Locator } from 'playwright-core';
import {
  ApiClient,
  extractCode,
  freePort,
  randomSuffix,
  SmtpSink,
  startPlatform,
  strongPassword,
  WebhookSink,
} from '@app/testing';
import { TotpCodes } from '@app/auth/totp/totp-codes';
import { createOperator, loginWithEmailCode, loginWithSmsCode } from '../e2e/support/story-helpers';
import { type Browser } from './support/browser';
import { checkScreen as checkPortalScreen, startPortalWorld, stopPortalWorld } from './support/portal-world';
import { readQrCode } from './support/qr-code';

/**
 * The security settings in the portal, in Chromium at 360 px wide: a user logs in with an SMS code,
 * sets up an authenticator app by reading the QR code on the screen, registers a passkey with
 * Chrome's virtual authenticator and logs in with it, trusts the browser after an authenticator
 * code, and stops trusting it again through the inline step-up. Each screen is checked with
 * axe-core and for sideways scrolling, and photographed (test-artefacts/browser/).
 *
 * WebAuthn binds a passkey to the page's origin, so the platform is told the origin Chromium loads
 * (`http://localhost:<port>`, a secure context) before it starts.
 */
describe('the portal, security settings, in Chromium', () => {
  const smtp = new SmtpSink();
  const sms = new WebhookSink();
  const suffix = randomSuffix();
  const operator = {
    userId: `ops-sec-${suffix}`,
    email: `ops-sec-${suffix}@provider.example`,
    password: strongPassword(),
  };
  const tenant = {
    number: `S${suffix.toUpperCase().replace(/[^0-9A-Z]/g, '0')}`,
    name: `Security Ltd ${suffix}`,
  };
  const user = {
    userId: `sec-${suffix}@customer.example.fm`,
    email: `sec-${suffix}@customer.example`,
    phone: `+8180${String(Date.now()).slice(-8)}`,
    password: strongPassword(),
  };
  let platform: Awaited<ReturnType<typeof startPlatform>>;
  let browser: Browser;
  let origin: string;
  let totpSecret: string;

  beforeAll(async () => {
    const port = await freePort();
    origin = `http://localhost:${port}`;
    ({ platform, browser } = await startPortalWorld(
      { smtp, sms },
      {
        run: `security-${suffix}`,
        locale: 'en-GB',
        port,
        env: { PUBLIC_URL: origin, WEBAUTHN_RP_ID: 'localhost', WEBAUTHN_ORIGINS: origin },
      },
    ));
    // A platform authenticator that holds discoverable credentials and verifies its user (a
    // fingerprint) by itself, as a phone or a laptop with Touch ID does.
    const cdp = await browser.context.newCDPSession(browser.page);
    await cdp.send('WebAuthn.enable');
    await cdp.send('WebAuthn.addVirtualAuthenticator', {
      options: {
        protocol: 'ctap2',
        transport: 'internal',
        hasResidentKey: true,
        hasUserVerification: true,
        isUserVerified: true,
      },
    });
  });

  afterAll(() => stopPortalWorld({ platform, browser }, { smtp, sms }));

  const checkScreen = (name: string) => checkPortalScreen(browser, name);

  /** ID and password on the login page. */
  async function enterPassword(): Promise<void> {
    const { page } = browser;
    await page.goto(`${origin}/login`);
    await page.getByLabel('ID').fill(user.userId);
    await page.getByLabel('Password').fill(user.password);
    await page.getByRole('button', { name: 'Log in', exact: true }).click();
  }

  /** The SMS code of the second step, in the page or in the step-up dialog. */
  async function verifyBySms(scope: Locator): Promise<void> {
    sms.clear();
    await scope.getByRole('button', { name: /Get a code by SMS/ }).click();
    const message = await sms.waitFor((m) => m.to === user.phone);
    await scope.getByLabel('Security code (6 digits)').fill(extractCode(message.body));
    await scope.getByRole('button', { name: 'Verify' }).click();
  }

  async function logOut(): Promise<void> {
    await browser.page.getByRole('button', { name: 'Log out' }).click();
    await browser.page.waitForURL(/\/login$/);
  }

  it('has a user with a password and a phone', async () => {
    await createOperator(operator.userId, operator.email, operator.password);
    const api = new ApiClient(platform.baseUrl);
    const tokens = await loginWithEmailCode(api, smtp, operator.userId, operator.email, operator.password);
    const ops = api.withToken(tokens.accessToken);
    expect((await ops.post('/ops/tenants', tenant)).status).toBe(201);
    const created = await ops.post(`/ops/tenants/${tenant.number}/users`, {
      userId: user.userId,
      email: user.email,
      familyName: 'Sato',
      givenName: 'Ken',
      phone: user.phone,
      language: 'en',
      admin: true,
    });
    expect(created.status).toBe(201);
    expect((await api.post('/auth/password-reset', { userId: user.userId, email: user.email })).status).toBe(
      202,
    );
    const mail = await smtp.waitFor(
      (m) => m.to.includes(user.email) && /password-reset\//.test(m.text ?? ''),
    );
    const token = /\/password-reset\/([A-Za-z0-9_-]+)/.exec(mail.text ?? '')?.[1];
    expect((await api.post(`/auth/password-reset/${token}`, { newPassword: user.password })).status).toBe(
      204,
    );
  });

  it('logs in with an SMS code and opens the security settings', async () => {
    const { page } = browser;
    await enterPassword();
    await verifyBySms(page.locator('main'));
    await page.waitForURL(/\/account$/);
    await page.getByRole('link', { name: 'Security' }).click();
    await page.getByRole('heading', { name: 'Security settings', level: 1 }).waitFor();
    await page.getByText('No passkey yet.').waitFor();
    await page.getByText('No trusted browser.').waitFor();
    await checkScreen('security');
  });

  it('sets up an authenticator app from the QR code on the screen', async () => {
    const { page } = browser;
    const section = page.getByRole('region', { name: 'Authenticator app' });
    await section.getByRole('button', { name: 'Set up an authenticator app' }).click();
    const qr = section.getByRole('img', { name: 'QR code to add to your authenticator app' });
    await qr.waitFor();
    await checkScreen('totp-enrolment');

    // What a phone reads from the picture: an otpauth URI whose secret is the key shown for typing.
    const uri = new URL(readQrCode((await qr.getAttribute('src')) ?? ''));
    expect(uri.protocol).toBe('otpauth:');
    totpSecret = uri.searchParams.get('secret') ?? '';
    expect(totpSecret).toMatch(/^[A-Z2-7]{16,}$/);
    expect(await section.locator('code.secret').getAttribute('data-secret')).toBe(totpSecret);
    expect((await section.locator('code.secret').textContent())?.replace(/\s/g, '')).toBe(totpSecret);

    await section
      .getByLabel('6-digit code from your authenticator app')
      .fill(await generate({ ...TotpCodes.plugins, secret: totpSecret }));
    await section.getByRole('button', { name: 'Check and turn on' }).click();
    await section.getByText('Your authenticator app is set up.').waitFor();
    expect(await qr.count()).toBe(0);
  });

  it('registers a passkey with the browser’s authenticator', async () => {
    const { page } = browser;
    const section = page.getByRole('region', { name: 'Passkeys' });
    await section.getByLabel('Name of the passkey').fill('Chromium test key');
    await section.getByRole('button', { name: 'Add a passkey' }).click();
    await section.getByText('Your passkey has been added.').waitFor();
    await section.getByRole('list', { name: 'Your passkeys' }).getByText('Chromium test key').waitFor();
    await checkScreen('passkeys');
  });

  it('logs out and back in with the passkey alone', async () => {
    const { page } = browser;
    await logOut();
    await page.getByRole('button', { name: 'Use a passkey' }).waitFor();
    await checkScreen('login-with-passkey');
    await page.getByRole('button', { name: 'Use a passkey' }).click();
    await page.waitForURL(/\/account$/);
    await page.getByRole('heading', { name: 'Account', level: 1 }).waitFor();
  });

  it('trusts the browser after an authenticator code, and then skips the second step', async () => {
    const { page } = browser;
    await logOut();
    await enterPassword();
    await page.getByRole('button', { name: /authenticator app/ }).click();
    // The next time step's code: the one that confirmed the app may not be used twice.
    const code = await generate({
      ...TotpCodes.plugins,
      secret: totpSecret,
      epoch: Math.floor(Date.now() / 1000) + 30,
    });
    await page.getByLabel('Security code (6 digits)').fill(code);
    await page.getByLabel('Trust this browser (skip this step next time)').check();
    await page.getByLabel('Name of this browser').fill('Test Chromium');
    await checkScreen('second-step-totp-trust');
    await page.getByRole('button', { name: 'Verify' }).click();
    await page.waitForURL(/\/account$/);

    await logOut();
    await enterPassword();
    await page.waitForURL(/\/account$/);
  });

  it('stops trusting every browser through the inline step-up', async () => {
    const { page } = browser;
    await page.getByRole('link', { name: 'Security' }).click();
    const section = page.getByRole('region', { name: 'Trusted browsers' });
    await section.getByRole('list', { name: 'Your trusted browsers' }).getByText('Test Chromium').waitFor();
    await checkScreen('trusted-browsers');

    await section.getByRole('button', { name: 'Stop trusting all browsers' }).click();
    await section.getByText(/Stop trusting every browser\?/).waitFor();
    await section.getByRole('button', { name: 'Stop trusting all browsers' }).click();
    // A login that skipped the second step is not a fresh one: the revocation asks for it first.
    const dialog = page.getByRole('dialog', { name: 'Verification needed' });
    await dialog.waitFor();
    await checkScreen('step-up');
    await verifyBySms(dialog);
    await section.getByText('Trust removed.').waitFor();
    await section.getByText('No trusted browser.').waitFor();
    expect(await dialog.count()).toBe(0);

    // The cookie no longer spares this browser the second step.
    await logOut();
    await enterPassword();
    await page.getByRole('button', { name: /Get a code by SMS/ }).waitFor();
  });

  it('logs in by approving in the phone app, with the number shown on the screen', async () => {
    const { page } = browser;
    // The phone app registers itself on a fresh session and keeps its token.
    const api = new ApiClient(platform.baseUrl);
    sms.clear();
    const tokens = await loginWithSmsCode(api, sms, user.userId, user.phone, user.password);
    const registered = await api
      .withToken(tokens.accessToken)
      .post('/me/mfa/approver', { name: 'Ken’s phone' });
    expect(registered.status).toBe(201);
    const phone = { 'X-Approver-Token': registered.body.approverToken as string };

    await enterPassword();
    await page.getByRole('button', { name: /Approve in the app/ }).click();
    await page.getByRole('button', { name: 'Ask my app to approve' }).click();
    const shown = Number(await page.locator('[data-match-number]').getAttribute('data-match-number'));
    await page.getByText('Waiting for your approval in the app…').waitFor();
    await checkScreen('push-approval');

    // The app lists three numbers; the user picks the one on the screen.
    const waiting = await api.get('/approver/requests', phone);
    expect(waiting.body).toHaveLength(1);
    expect(waiting.body[0].candidates).toContain(shown);
    const decided = await api.post(
      `/approver/requests/${waiting.body[0].id}`,
      { decision: 'approve', matchNumber: shown },
      phone,
    );
    expect(decided.body).toEqual({ status: 'approved' });
    await page.waitForURL(/\/account$/);

    await page.getByRole('link', { name: 'Security' }).click();
    const section = page.getByRole('region', { name: 'Approver apps' });
    await section.getByRole('list', { name: 'Your approver apps' }).getByText('Ken’s phone').waitFor();

    // The same screen in Japanese, the portal's default: longer lines must still fit the phone.
    await page.getByLabel('Language').selectOption('ja');
    await page.getByRole('heading', { name: 'セキュリティ設定', level: 1 }).waitFor();
    await checkScreen('security-ja');
    expect(browser.problems).toEqual([]);
  });
});
