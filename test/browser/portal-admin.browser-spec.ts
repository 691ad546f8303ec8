import fs from 'node:fs';
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
 * The tenant admin's screens in Chromium at 360 px wide: a tenant and its admin are set up through
 * the API; the admin logs in to the portal with a code by SMS, creates a user, edits it, changes its
 * ID, disables and enables its login, unlocks it after it was locked out, changes the tenant's
 * security policy, and reads the tenant's login history and the audit events of all of that. Each
 * screen is checked with axe-core and for sideways scrolling, and photographed.
 */
describe('the portal, tenant admin, in Chromium', () => {
  const smtp = new SmtpSink();
  const sms = new WebhookSink();
  const suffix = randomSuffix();
  const operator = {
    userId: `ops-${suffix}`,
    email: `ops-${suffix}@provider.example`,
    password: strongPassword(),
  };
  const tenant = {
    number: `A${suffix.toUpperCase().replace(/[^0-9A-Z]/g, '0')}`,
    name: `管理画面株式会社 ${suffix}`,
  };
  const admin = {
    userId: `admin-${suffix}@customer.example.fm`,
    email: `admin-${suffix}@customer.example`,
    phone: `+8180${String(Date.now()).slice(-8)}`,
    password: strongPassword(),
  };
  const member = {
    email: `member-${suffix}@customer.example`,
    newUserId: `member-${suffix}`,
  };
  let platform: Awaited<ReturnType<typeof startPlatform>>;
  let browser: Browser;
  let api: ApiClient;

  beforeAll(async () => {
    ({ platform, browser, api } = await startPortalWorld(
      { smtp, sms },
      { run: `admin-${suffix}`, locale: 'ja-JP' },
    ));
    // A screen that does not come within 10 s will not come: fail fast instead of 30 s per step.
    browser.page.setDefaultTimeout(10_000);
  });

  afterAll(() => stopPortalWorld({ platform, browser }, { smtp, sms }));

  const checkScreen = (name: string) => checkPortalScreen(browser, name);

  it('sets up a tenant and its admin with a password through the API', async () => {
    await createOperator(operator.userId, operator.email, operator.password);
    const tokens = await loginWithEmailCode(api, smtp, operator.userId, operator.email, operator.password);
    const ops = api.withToken(tokens.accessToken);
    expect((await ops.post('/ops/tenants', tenant)).status).toBe(201);
    const created = await ops.post(`/ops/tenants/${tenant.number}/users`, {
      userId: admin.userId,
      email: admin.email,
      familyName: 'Yamada',
      givenName: 'Hanako',
      phone: admin.phone,
      language: 'en',
      admin: true,
    });
    expect(created.status).toBe(201);
    expect(
      (await api.post('/auth/password-reset', { userId: admin.userId, email: admin.email })).status,
    ).toBe(202);
    const mail = await smtp.waitFor(
      (m) => m.to.includes(admin.email) && (m.text ?? '').includes('/password-reset/'),
    );
    const token = /\/password-reset\/([A-Za-z0-9_-]+)/.exec(mail.text ?? '')?.[1];
    expect((await api.post(`/auth/password-reset/${token}`, { newPassword: admin.password })).status).toBe(
      204,
    );
  });

  it('logs the admin in and shows the admin menu and the user list', async () => {
    const { page } = browser;
    await page.goto(`${platform.rootUrl}/login`);
    await page.getByLabel('表示言語').selectOption('en');
    await page.getByLabel('ID').fill(admin.userId);
    await page.getByLabel('Password').fill(admin.password);
    await page.getByRole('button', { name: 'Log in' }).click();
    await page.getByRole('button', { name: /Get a code by SMS/ }).click();
    const message = await sms.waitFor((m) => m.to === admin.phone);
    await page.getByLabel('Security code (6 digits)').fill(extractCode(message.body));
    await page.getByRole('button', { name: 'Verify' }).click();
    await page.waitForURL(/\/account$/);

    await page.getByRole('navigation', { name: 'Main menu' }).getByRole('link', { name: 'Admin' }).click();
    await page.getByRole('heading', { name: 'Users', level: 1 }).waitFor();
    await page.getByRole('link', { name: 'Yamada Hanako' }).waitFor();
    await checkScreen('admin-users');
  });

  it('creates a user with the ID the API suggests', async () => {
    const { page } = browser;
    await page.getByRole('link', { name: 'Create a user' }).click();
    await page.getByLabel('Family name').fill('Suzuki');
    await page.getByLabel('Given name').fill('Ichiro');
    await page.getByLabel('E-mail address').fill(member.email);
    await page.getByLabel('Job title').focus();
    await page.getByText(`Suggested ID: ${member.email}.fm`).waitFor();
    await page.getByLabel('Mobile phone for SMS codes').fill('090-1234-5678');
    await page.getByRole('button', { name: 'Create', exact: true }).click();
    await page.getByText('Please enter it in international form').waitFor();
    await checkScreen('admin-user-create-invalid');

    await page.getByLabel('Mobile phone for SMS codes').fill('');
    await page.getByRole('button', { name: 'Create', exact: true }).click();
    await page.getByText(`User ${member.email}.fm has been created.`).waitFor();
    await checkScreen('admin-user-created');
    await page.getByRole('link', { name: 'Open this user' }).click();
    await page.getByRole('heading', { name: 'Suzuki Ichiro', level: 1 }).waitFor();
    await checkScreen('admin-user-detail');
  });

  it('edits the user and changes its ID', async () => {
    const { page } = browser;
    await page.getByLabel('Job title').fill('Team lead');
    await page.getByLabel('Time zone (e.g. Asia/Tokyo)').fill('Europe/London');
    await page.getByRole('button', { name: 'Save', exact: true }).first().click();
    await page.getByText('Saved.').waitFor();

    await page.getByLabel('New ID').fill(member.newUserId);
    await page.getByRole('button', { name: 'Change the ID' }).click();
    await page.getByText('The ID has been changed.').waitFor();
    expect(await page.getByTestId('user-id').textContent()).toBe(member.newUserId);

    // The same ID again is someone's already: the API's message is shown, in English.
    await page.getByLabel('New ID').fill(admin.userId);
    await page.getByRole('button', { name: 'Change the ID' }).click();
    await page.getByRole('alert').first().waitFor();
    await checkScreen('admin-user-edited');
  });

  it('disables and enables the login, and unlocks the user after five wrong passwords', async () => {
    const { page } = browser;
    await page.getByRole('button', { name: 'Disable login' }).click();
    await page.getByText('This user cannot log in.').waitFor();
    await page.getByText('Login disabled', { exact: true }).waitFor();
    await page.getByRole('button', { name: 'Enable login' }).click();
    await page.getByText('This user can log in.').waitFor();

    for (let i = 0; i < 5; i++) {
      await api.post('/auth/login', { userId: member.newUserId, password: strongPassword() });
    }
    expect(
      (await api.post('/auth/login', { userId: member.newUserId, password: strongPassword() })).status,
    ).toBe(423);
    // Back to the list and in again: the portal reads the user afresh and shows the lock.
    await page.getByRole('link', { name: 'Back to the users' }).click();
    await page.getByRole('link', { name: 'Suzuki Ichiro' }).click();
    await page.getByText('Locked after repeated wrong passwords.').waitFor();
    await checkScreen('admin-user-locked');
    await page.getByRole('button', { name: 'Unlock' }).click();
    await page.getByText('Not locked.').waitFor();
  });

  it('changes the tenant security policy, refusing a time out of range', async () => {
    const { page } = browser;
    await page
      .getByRole('navigation', { name: 'Admin menu' })
      .getByRole('link', { name: 'Security policy' })
      .click();
    await page.getByRole('heading', { name: 'Security policy', level: 1 }).waitFor();
    await page.getByLabel('Ask everyone for a second step at every login').check();
    await page.getByLabel('A number of days').check();
    await page.getByLabel('Days (1–90)').fill('120');
    await page.getByRole('button', { name: 'Save' }).click();
    await page.getByText('Please enter a whole number from 1 to 90.').waitFor();
    await checkScreen('admin-policy-invalid');
    await page.getByLabel('Days (1–90)').fill('30');
    await page.getByRole('button', { name: 'Save' }).click();
    await page.getByText('The security policy has been saved.').waitFor();
    // Read afresh from the server after leaving the page: the saved policy is what the form shows.
    await page.getByRole('navigation', { name: 'Admin menu' }).getByRole('link', { name: 'Users' }).click();
    await page
      .getByRole('navigation', { name: 'Admin menu' })
      .getByRole('link', { name: 'Security policy' })
      .click();
    expect(await page.getByLabel('Ask everyone for a second step at every login').isChecked()).toBe(true);
    expect(await page.getByLabel('Days (1–90)').inputValue()).toBe('30');
  });

  it("shows the tenant's login history with the admin's login, and gives it as CSV", async () => {
    const { page } = browser;
    await page
      .getByRole('navigation', { name: 'Admin menu' })
      .getByRole('link', { name: 'Login history' })
      .click();
    await page.getByRole('heading', { name: 'Login history of the tenant' }).waitFor();
    await page.getByRole('cell', { name: admin.userId }).first().waitFor();
    await checkScreen('admin-login-history');
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('button', { name: 'Download CSV' }).click(),
    ]);
    expect(download.suggestedFilename()).toMatch(/\.csv$/);
    // A plain link the browser streams to disk (the files session's cookie), not a blob of the page.
    const url = new URL(download.url());
    expect(`${url.pathname}${url.search}`).toBe('/api/v1/admin/login-history?format=csv');
    expect(fs.readFileSync(await download.path(), 'utf8')).toContain(admin.userId);
  });

  it('shows the audit events of every action above', async () => {
    const { page } = browser;
    await page
      .getByRole('navigation', { name: 'Admin menu' })
      .getByRole('link', { name: 'Audit log' })
      .click();
    await page.getByRole('heading', { name: 'Audit log', level: 1 }).waitFor();
    const expected = [
      'auth.user.created',
      'auth.user.updated',
      'auth.user.user_id_changed',
      'auth.user.login_disabled',
      'auth.user.login_enabled',
      'auth.account.unlocked',
      'auth.tenant.security_policy_updated',
    ];
    // The audit trail is written from the event stream: filter again until the last action is in.
    const types = () =>
      page
        .locator('tbody tr')
        // Runs in the page; the tests' tsconfig has no DOM types.
        .evaluateAll((rows) =>
          rows.map((row) => (row as unknown as { dataset: { type?: string } }).dataset.type),
        );
    await page.locator('tbody tr').first().waitFor();
    let seen = await types();
    for (let attempt = 0; attempt < 20 && !expected.every((type) => seen.includes(type)); attempt++) {
      await page.getByRole('button', { name: 'Filter', exact: true }).click();
      await page.waitForTimeout(500);
      seen = await types();
    }
    expect(await types()).toEqual(expect.arrayContaining(expected));
    await page.getByRole('cell', { name: 'Security policy changed' }).waitFor();
    await checkScreen('admin-audit-events');

    await page.getByLabel('Type (or its start, e.g. auth.user)').fill('auth.user.login');
    await page.getByRole('button', { name: 'Filter', exact: true }).click();
    await page.getByRole('cell', { name: 'Security policy changed' }).waitFor({ state: 'detached' });
    expect(new Set(await types())).toEqual(new Set(['auth.user.login_disabled', 'auth.user.login_enabled']));

    // The export of the filtered events: a plain link the browser streams to disk, of any size.
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('button', { name: 'Export CSV' }).click(),
    ]);
    expect(download.suggestedFilename()).toMatch(/^audit-events-.+\.csv$/);
    expect(new URL(download.url()).searchParams.get('type')).toBe('auth.user.login');
    const rows = fs
      .readFileSync(await download.path(), 'utf8')
      .trim()
      .split('\n');
    expect(rows.slice(1).every((row) => row.includes('auth.user.login_'))).toBe(true);
    expect(rows.length).toBeGreaterThanOrEqual(3);
  });

  it('shows the admin screens in Japanese too, within 360 px', async () => {
    const { page } = browser;
    await page.getByLabel('Language', { exact: true }).selectOption('ja');
    await page
      .getByRole('navigation', { name: '管理メニュー' })
      .getByRole('link', { name: 'ユーザー' })
      .click();
    await page.getByRole('heading', { name: 'ユーザー', level: 1 }).waitFor();
    await page.getByText('2 人').waitFor();
    await checkScreen('admin-users-ja');
    await page.getByRole('link', { name: 'Suzuki Ichiro' }).click();
    await page.getByRole('heading', { name: 'ID の変更' }).waitFor();
    await checkScreen('admin-user-detail-ja');
    expect(browser.problems).toEqual([]);
  });
});
