import fs from 'node:fs';
import path from 'node:path';
import { ApiClient, extractCode, randomSuffix, SmtpSink, startPlatform, strongPassword } from '@app/testing';
import { createOperator, loginWithEmailCode } from '../e2e/support/story-helpers';
import { type Browser } from './support/browser';
import { checkScreen as checkPortalScreen, startPortalWorld, stopPortalWorld } from './support/portal-world';

/**
 * The customer's cases in the portal, in Debian's Chromium at 360 px wide: an operator sets up a
 * tenant, a contracted service, cases, a knowledge article and a banner through the API; the
 * tenant's user logs in, filters the case list, opens an inquiry and attaches a file (the upload's
 * progress shown), reads the operator's reply, approves the solution, and searches the knowledge.
 * Each screen is checked with axe-core and for sideways scrolling, and photographed.
 *
 * With PORTAL_SCREENSHOTS=<dir> (e.g. docs/images) it also saves the login page and the case list at
 * desktop width (1280×800) for the README.
 */
describe('the portal, cases, in Chromium', () => {
  const smtp = new SmtpSink();
  const suffix = randomSuffix();
  const README_DIR = process.env.PORTAL_SCREENSHOTS;
  const operator = {
    userId: `ops-${suffix}`,
    email: `ops-${suffix}@provider.example`,
    password: strongPassword(),
  };
  const tenant = {
    number: `P${suffix.toUpperCase().replace(/[^0-9A-Z]/g, '0')}`,
    name: 'ポータル株式会社',
  };
  const service = `edr-${suffix.toLowerCase().replace(/[^0-9a-z]/g, '0')}`.slice(0, 40);
  const user = {
    userId: `user-${suffix}@customer.example.fm`,
    email: `user-${suffix}@customer.example`,
    password: strongPassword(),
  };
  const banner = `メンテナンスのお知らせ ${suffix}`;
  let platform: Awaited<ReturnType<typeof startPlatform>>;
  let browser: Browser;
  let ops: ApiClient;
  let inquiry: string;

  beforeAll(async () => {
    ({ platform, browser } = await startPortalWorld({ smtp }, { run: `cases-${suffix}`, locale: 'ja-JP' }));
  });

  afterAll(() => stopPortalWorld({ platform, browser }, { smtp }));

  const checkScreen = (name: string) => checkPortalScreen(browser, name);

  /** The README's pictures: the page as it is now, at desktop width, only when asked for. */
  async function readmeScreenshot(file: string): Promise<void> {
    if (!README_DIR) {
      return;
    }
    const { page } = browser;
    await page.setViewportSize({ width: 1280, height: 800 });
    await page.waitForTimeout(300);
    fs.mkdirSync(README_DIR, { recursive: true });
    await page.screenshot({ path: path.join(README_DIR, file) });
    await page.setViewportSize({ width: 360, height: 740 });
  }

  const nav = (name: string) =>
    browser.page.getByRole('navigation', { name: 'メインメニュー' }).getByRole('link', { name });

  it('has an operator set up a tenant, its service, cases, an article and a banner', async () => {
    await createOperator(operator.userId, operator.email, operator.password);
    const api = new ApiClient(platform.baseUrl);
    const tokens = await loginWithEmailCode(api, smtp, operator.userId, operator.email, operator.password);
    ops = api.withToken(tokens.accessToken);
    expect(
      (
        await ops.post('/ops/services', {
          code: service,
          name: { ja: 'EDR 監視サービス', en: 'EDR monitoring' },
        })
      ).status,
    ).toBe(201);
    expect((await ops.post('/ops/tenants', tenant)).status).toBe(201);
    expect(
      (
        await ops.post(`/ops/tenants/${tenant.number}/contracts`, {
          service,
          startDate: '2026-04-01',
          idCount: 50,
        })
      ).status,
    ).toBe(201);
    const created = await ops.post(`/ops/tenants/${tenant.number}/users`, {
      userId: user.userId,
      email: user.email,
      familyName: '佐藤',
      givenName: '一郎',
      language: 'ja',
      admin: true,
    });
    expect(created.status).toBe(201);
    for (const [category, subject] of [
      ['monthly_report', '2026 年 3 月の月次レポート'],
      ['incident_report', '不審な通信の検知について'],
      ['security_alert', 'マルウェア検知（PC-0123）'],
    ]) {
      const opened = await ops.post('/ops/cases', {
        tenant: tenant.number,
        service,
        category,
        subject,
        description: `<p>${subject}</p>`,
      });
      expect(opened.status).toBe(201);
    }
    const base = await ops.post('/ops/knowledge/bases', {
      name: { ja: 'EDR ナレッジ', en: 'EDR knowledge' },
      service,
    });
    expect(base.status).toBe(201);
    const category = await ops.post('/ops/knowledge/categories', {
      base: base.body.id,
      code: '01-setup',
      name: { ja: '導入', en: 'Setup' },
    });
    expect(category.status).toBe(201);
    const article = await ops.post('/ops/knowledge/articles', {
      base: base.body.id,
      category: category.body.id,
      title: 'VPN 接続時にエージェントが切断される場合',
      body: '<p>VPN に接続するとエージェントが <b>オフライン</b> になる場合の対処です。</p>',
      language: 'ja',
    });
    expect(article.status).toBe(201);
    const now = Date.now();
    const announced = await ops.post('/ops/announcements', {
      title: banner,
      body: '<p>4 月 20 日 2:00〜4:00 にメンテナンスを行います。</p>',
      banner: true,
      from: new Date(now - 60_000).toISOString(),
      to: new Date(now + 86_400_000).toISOString(),
      audience: { tenants: [tenant.number] },
    });
    expect(announced.status).toBe(201);

    // The user sets a password through the mailed link (the first story shows it on the portal).
    smtp.clear();
    expect((await api.post('/auth/password-reset', { userId: user.userId, email: user.email })).status).toBe(
      202,
    );
    const resetMail = await smtp.waitFor(
      (m) => m.to.includes(user.email) && (m.text ?? '').includes('/password-reset/'),
    );
    const token = /\/password-reset\/([A-Za-z0-9_-]+)/.exec(resetMail.text ?? '')?.[1];
    expect((await api.post(`/auth/password-reset/${token}`, { newPassword: user.password })).status).toBe(
      204,
    );
    smtp.clear();
  });

  it('logs the user in with a code by e-mail', async () => {
    const { page } = browser;
    await page.goto(`${platform.rootUrl}/login`);
    await page.getByRole('heading', { name: 'ログイン' }).waitFor();
    await readmeScreenshot('portal-login.png');
    await page.getByLabel('ID').fill(user.userId);
    await page.getByLabel('パスワード').fill(user.password);
    await page.getByRole('button', { name: 'ログイン' }).click();
    // E-mail is the user's only method, so the code is sent at once.
    const mail = await smtp.waitFor((m) => m.to.includes(user.email) && /\b\d{6}\b/.test(m.text ?? ''));
    await page.getByLabel('確認コード（6 桁）').fill(extractCode(mail.text ?? ''));
    await page.getByRole('button', { name: '確認する' }).click();
    await page.waitForURL(/\/account$/);
  });

  it('lists the cases, sorts them and narrows them with a filter', async () => {
    const { page } = browser;
    await nav('お問い合わせ').click();
    await page.getByRole('heading', { name: '3 件' }).waitFor();
    await page.getByText(banner).waitFor();
    await checkScreen('case-list');

    // Sort by subject: the heading says which way, the rows follow.
    await page.getByRole('button', { name: '件名', exact: true }).click();
    await page.locator('th[aria-sort="ascending"]').getByText('件名').waitFor();

    await page.getByText('絞り込み条件').click();
    await page.getByRole('button', { name: '条件を追加' }).click();
    await page.getByLabel('グループ 1 の条件 1の項目').selectOption('category');
    await page.getByLabel('グループ 1 の条件 1の条件').selectOption('nin');
    await page
      .getByLabel('グループ 1 の条件 1の値（複数）')
      .selectOption(['monthly_report', 'security_alert']);
    await page.getByRole('button', { name: '検索する' }).click();
    await page.getByRole('heading', { name: '1 件' }).waitFor();
    expect(await page.locator('table tbody tr').count()).toBe(1);
    await page.getByRole('cell', { name: '不審な通信の検知について' }).waitFor();
    await checkScreen('case-list-filtered');

    // Saved for the tenant, then the builder cleared.
    await page.getByText('保存した条件', { exact: true }).click();
    await page.getByLabel('条件の名前').fill('インシデント');
    await page.getByLabel('公開範囲').selectOption('tenant');
    await page.getByRole('button', { name: '今の条件を保存' }).click();
    await page.getByText('「インシデント」を保存しました。').waitFor();
    await page.getByRole('button', { name: '条件をすべて消す' }).click();
    await page.getByRole('button', { name: '検索する' }).click();
    await page.getByRole('heading', { name: '3 件' }).waitFor();
  });

  it('opens an inquiry and attaches a file, the upload showing its progress', async () => {
    const { page } = browser;
    await page.getByRole('link', { name: '新しいお問い合わせ' }).click();
    await page.getByRole('heading', { name: '新しいお問い合わせ' }).waitFor();
    await page.getByRole('button', { name: 'お問い合わせを送る' }).click();
    await page.getByText('サービスを選んでください。').waitFor();
    await checkScreen('new-inquiry-invalid');

    await page.getByLabel('サービス', { exact: true }).selectOption(service);
    await page.getByLabel('サービスについて').check();
    await page.getByLabel('件名', { exact: true }).fill('エージェントがオフラインになる');
    await page
      .getByLabel('内容')
      .fill('VPN 接続中にエージェントがオフラインになります。\nログを添付します。');
    await page.getByRole('button', { name: 'お問い合わせを送る' }).click();
    await page.waitForURL(/\/cases\/CS\d{7}$/);
    inquiry = /CS\d{7}/.exec(page.url())![0];
    await page.getByRole('heading', { name: 'エージェントがオフラインになる' }).waitFor();

    // A slow uplink (about 1 MB/s) keeps the 2 MB upload going long enough to watch.
    const cdp = await browser.context.newCDPSession(page);
    await cdp.send('Network.emulateNetworkConditions', {
      offline: false,
      latency: 0,
      downloadThroughput: -1,
      uploadThroughput: 1024 * 1024,
    });
    const log = Buffer.from('2026-04-01T00:00:00Z agent offline\n'.repeat(60_000)).subarray(
      0,
      2 * 1024 * 1024,
    );
    await page
      .getByLabel('ファイルを添付する')
      .setInputFiles({ name: 'agent.log', mimeType: 'text/plain', buffer: log });
    const progress = page.getByRole('progressbar', { name: 'agent.log のアップロード状況' });
    await progress.waitFor();
    await browser.screenshot('upload-progress');
    await page.getByText('agent.log を添付しました。').waitFor({ timeout: 20_000 });
    await cdp.send('Network.emulateNetworkConditions', {
      offline: false,
      latency: 0,
      downloadThroughput: -1,
      uploadThroughput: -1,
    });
    await cdp.detach();
    await page.getByRole('link', { name: 'agent.log をダウンロード' }).waitFor();
    await page.getByText('添付ファイル「agent.log」が追加されました。').waitFor();
    await checkScreen('case-detail');

    // The browser follows a plain link to the API and streams the file to disk: no blob in the page.
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('link', { name: 'agent.log をダウンロード' }).click(),
    ]);
    expect(download.suggestedFilename()).toBe('agent.log');
    expect(new URL(download.url()).pathname).toMatch(
      new RegExp(`^/api/v1/cases/${inquiry}/attachments/[0-9a-f-]{36}$`),
    );
    expect(fs.readFileSync(await download.path()).equals(log)).toBe(true);
    // The token rode in the httpOnly cookie of the files session, sent to the download areas only
    // (and, this user being the tenant's admin, to the exports' own routes).
    const cookies = (await browser.context.cookies()).filter((c) => c.name === 'mamori_files');
    expect(cookies.map((c) => c.path).sort()).toEqual([
      '/api/v1/admin/audit-events',
      '/api/v1/admin/login-history',
      '/api/v1/cases',
      '/api/v1/knowledge',
      '/api/v1/me/login-history',
      '/api/v1/work-requests',
    ]);
    expect(cookies.every((c) => c.httpOnly && c.sameSite === 'Strict')).toBe(true);
  });

  it('shows the operator’s reply, and closes the case when the user approves the solution', async () => {
    const { page } = browser;
    expect(
      (
        await ops.post(`/ops/cases/${inquiry}/comments`, {
          body: '<p>エージェントを <b>最新版</b> に更新してください。</p>',
        })
      ).status,
    ).toBe(201);
    expect((await ops.post(`/ops/cases/${inquiry}/status`, { status: 'resolved' })).status).toBe(200);

    await page.getByRole('link', { name: 'お問い合わせ一覧へ戻る' }).click();
    await page.getByRole('link', { name: inquiry }).click();
    await page.locator('.rich-text b', { hasText: '最新版' }).waitFor();
    await page.getByText('解決策をご確認ください。', { exact: false }).waitFor();
    expect(await page.locator('[data-status]').getAttribute('data-status')).toBe('resolved');
    await checkScreen('case-resolved');

    await page.getByRole('button', { name: '解決を承認' }).click();
    await page.getByRole('dialog', { name: '解決を承認しますか？' }).waitFor();
    await checkScreen('approve-dialog');
    await page.getByRole('button', { name: '承認してクローズする' }).click();
    await page.locator('[data-status="closed"]').waitFor();
    await page.getByText('解決を承認しました。お問い合わせはクローズされました。').waitFor();
    expect(await page.getByRole('button', { name: '解決を承認' }).count()).toBe(0);
    expect(await page.getByLabel('コメント').count()).toBe(0);
    await checkScreen('case-closed');
    expect((await ops.request('GET', `/ops/cases/${inquiry}`)).body.status).toBe('closed');
  });

  it('searches the knowledge from three characters and opens the article', async () => {
    const { page } = browser;
    await nav('ナレッジ').click();
    await page.getByRole('heading', { name: 'ナレッジ', level: 1 }).waitFor();
    await page.getByText('EDR ナレッジ（1 件）').waitFor();
    await page.getByLabel('キーワード').fill('VP');
    await page.getByRole('button', { name: '検索する' }).click();
    await page.getByText('3 文字以上で入力してください。').waitFor();
    await page.getByLabel('キーワード').fill('VPN');
    await page.getByRole('button', { name: '検索する' }).click();
    await page.getByRole('heading', { name: '「VPN」の検索結果: 1 件' }).waitFor();
    await checkScreen('knowledge-search');
    await page.getByRole('link', { name: 'VPN 接続時にエージェントが切断される場合' }).click();
    await page.getByRole('heading', { name: 'VPN 接続時にエージェントが切断される場合', level: 1 }).waitFor();
    await page.locator('.rich-text b', { hasText: 'オフライン' }).waitFor();
    await checkScreen('knowledge-article');
  });

  it('lists announcements, dismisses the banner, and shows the service settings and work requests', async () => {
    const { page } = browser;
    await nav('お知らせ').click();
    await page.getByRole('heading', { name: banner, level: 2 }).waitFor();
    await checkScreen('announcements');
    const dismiss = page.getByRole('button', { name: `お知らせ「${banner}」を閉じる` });
    await dismiss.click();
    // Only this banner goes: other files of the tier publish banners for everyone in the same database.
    await dismiss.waitFor({ state: 'detached' });
    // Dismissed for good: the announcement stays in the list.
    await page.getByRole('heading', { name: banner, level: 2 }).waitFor();

    await nav('サービス設定').click();
    await page.getByRole('link', { name: 'EDR 監視サービス' }).click();
    await page.getByRole('heading', { name: 'EDR 監視サービス', level: 1 }).waitFor();
    await page.getByText('50', { exact: true }).waitFor();
    await checkScreen('service-setting');

    await nav('作業依頼').click();
    await page.getByText('作業依頼はまだありません。').waitFor();
    await checkScreen('work-requests');

    await nav('お問い合わせ').click();
    await page.getByRole('heading', { name: '4 件' }).waitFor();
    await readmeScreenshot('portal-case-list.png');
    expect(browser.problems).toEqual([]);
  });
});
