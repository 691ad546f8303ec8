import {
  ApiClient,
  extractCode,
  randomSuffix,
  SmtpSink,
  startPlatform,
  strongPassword,
  WebhookSink,
} from '@app/testing';
import { createOperator, loginWithEmailCode } from '../e2e/support/story-helpers';
import { type Browser } from './support/browser';
import { checkScreen as checkPortalScreen, startPortalWorld, stopPortalWorld } from './support/portal-world';

/**
 * Issue 14's first story in the portal, in Debian's Chromium at 360 px wide: an operator creates a
 * tenant and its representative admin (through the API); the admin asks for a password link on the
 * portal, opens the mailed link, sets a password against the live checklist, logs in with a code
 * by SMS and sees the account page. Each screen is checked with axe-core and for sideways
 * scrolling, and photographed (test-artefacts/browser/, not committed).
 */
describe('the portal, first story, in Chromium', () => {
  const smtp = new SmtpSink();
  const sms = new WebhookSink();
  const suffix = randomSuffix();
  const PUBLIC_URL = 'https://portal.example';
  const operator = {
    userId: `ops-${suffix}`,
    email: `ops-${suffix}@provider.example`,
    password: strongPassword(),
  };
  const tenant = {
    number: `P${suffix.toUpperCase().replace(/[^0-9A-Z]/g, '0')}`,
    name: `ポータル株式会社 ${suffix}`,
  };
  const admin = {
    userId: `admin-${suffix}@customer.example.fm`,
    email: `admin-${suffix}@customer.example`,
    phone: `+8190${String(Date.now()).slice(-8)}`,
    password: strongPassword(),
  };
  let platform: Awaited<ReturnType<typeof startPlatform>>;
  let browser: Browser;

  beforeAll(async () => {
    ({ platform, browser } = await startPortalWorld(
      { smtp, sms },
      { run: `first-story-${suffix}`, locale: 'ja-JP' },
    ));
  });

  afterAll(() => stopPortalWorld({ platform, browser }, { smtp, sms }));

  const checkScreen = (name: string) => checkPortalScreen(browser, name);

  it('has an operator create the tenant and its representative admin', async () => {
    await createOperator(operator.userId, operator.email, operator.password);
    const api = new ApiClient(platform.baseUrl);
    const tokens = await loginWithEmailCode(api, smtp, operator.userId, operator.email, operator.password);
    const ops = api.withToken(tokens.accessToken);
    expect((await ops.post('/ops/tenants', tenant)).status).toBe(201);
    const created = await ops.post(`/ops/tenants/${tenant.number}/users`, {
      userId: admin.userId,
      email: admin.email,
      familyName: '山田',
      givenName: '花子',
      phone: admin.phone,
      language: 'ja',
      admin: true,
    });
    expect(created.status).toBe(201);
    smtp.clear();
  });

  it('lets the admin ask for a password link, in Japanese by default', async () => {
    const { page } = browser;
    await page.goto(`${platform.rootUrl}/password-reset`);
    await page.getByRole('heading', { name: 'パスワードの設定・再設定' }).waitFor();
    await checkScreen('password-reset-request');
    await page.getByLabel('ID').fill(admin.userId);
    await page.getByLabel('メールアドレス').fill(admin.email);
    await page.getByRole('button', { name: 'メールを送る' }).click();
    await page.getByRole('status').filter({ hasText: 'メールをご確認ください' }).waitFor();
  });

  it('sets the password on the page the mailed link opens, against the live checklist', async () => {
    const { page } = browser;
    const mail = await smtp.waitFor(
      (m) => m.to.includes(admin.email) && (m.text ?? '').includes('/password-reset/'),
    );
    const link = new RegExp(`${PUBLIC_URL}(/password-reset/[A-Za-z0-9_-]+)`).exec(mail.text ?? '')?.[1];
    expect(link).toBeDefined();
    // The link names PUBLIC_URL; the page behind it is the gateway's, at the same path.
    await page.goto(`${platform.rootUrl}${link}`);
    await page.getByText(`ID: ${admin.userId}`).waitFor();

    const rule = (id: string) => page.locator(`[data-rule="${id}"]`);
    await page.getByLabel('新しいパスワード', { exact: true }).fill('short');
    expect(await rule('min_length').getAttribute('data-state')).toBe('unmet');
    expect(await rule('not_weak').getAttribute('data-state')).toBe('pending');
    expect(await page.getByRole('button', { name: 'パスワードを設定する' }).isDisabled()).toBe(true);
    await checkScreen('password-reset-checklist');

    await page.getByLabel('新しいパスワード', { exact: true }).fill(admin.password);
    await page.getByLabel('新しいパスワード（確認）').fill(admin.password);
    for (const id of ['min_length', 'lower', 'upper', 'digit', 'symbol', 'confirmation_matches']) {
      expect(await rule(id).getAttribute('data-state')).toBe('met');
    }
    await page.getByRole('button', { name: 'パスワードを設定する' }).click();
    await page.getByText('パスワードを設定しました。').waitFor();
    await checkScreen('password-reset-done');
  });

  it('logs the admin in with a code by SMS, after switching the portal to English', async () => {
    const { page } = browser;
    await page.getByRole('link', { name: 'ログイン画面へ' }).click();
    await page.getByLabel('表示言語').selectOption('en');
    await page.getByRole('heading', { name: 'Log in' }).waitFor();
    await checkScreen('login');

    await page.getByLabel('ID').fill(admin.userId);
    await page.getByLabel('Password').fill(admin.password);
    await page.getByRole('button', { name: 'Log in' }).click();
    await page.getByRole('button', { name: /Get a code by SMS/ }).waitFor();
    await checkScreen('second-step-methods');

    await page.getByRole('button', { name: /Get a code by SMS/ }).click();
    const message = await sms.waitFor((m) => m.to === admin.phone);
    await page.getByText(/We sent a code to/).waitFor();
    expect(await page.getByRole('button', { name: 'Send a new code' }).isDisabled()).toBe(true);
    await checkScreen('second-step-sms-code');

    await page.getByLabel('Security code (6 digits)').fill(extractCode(message.body));
    await page.getByRole('button', { name: 'Verify' }).click();
    await page.waitForURL(/\/account$/);
  });

  it("shows the account page in the account's language, with the login in its history", async () => {
    const { page } = browser;
    // The admin's account says Japanese: it wins over the switch once the session starts.
    await page.getByRole('heading', { name: 'アカウント', level: 1 }).waitFor();
    await page.getByText(admin.userId).waitFor();
    await page.locator('table tbody tr').first().waitFor();
    expect(await page.locator('table tbody tr').count()).toBeGreaterThan(0);
    await checkScreen('account');

    // Nothing of the session is stored where a script could read it later.
    const stored = await page.evaluate(() => {
      const w = globalThis as unknown as {
        localStorage: object;
        sessionStorage: object;
        document: { cookie: string };
      };
      return {
        local: Object.keys(w.localStorage),
        session: Object.keys(w.sessionStorage),
        cookies: w.document.cookie,
      };
    });
    expect(stored).toEqual({ local: ['mamori.language'], session: [], cookies: '' });
    expect(browser.problems).toEqual([]);
  });
});
