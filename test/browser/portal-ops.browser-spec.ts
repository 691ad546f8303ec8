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
import { createOperator, loginWithEmailCode, loginWithSmsCode } from '../e2e/support/story-helpers';
import { type Browser } from './support/browser';
import { checkScreen as checkPortalScreen, startPortalWorld, stopPortalWorld } from './support/portal-world';

/**
 * The operator's portal, in Debian's Chromium at 360 px wide: an operator logs in with a code by
 * e-mail, sees the operations menu, creates a tenant, a service, the representative admin and a
 * contract, publishes a knowledge article and an announcement, finds the admin's password mail in the
 * message status view, accepts one work request and rejects another with a reason, replies to a case
 * the admin opened through the API, moves its status and resets the admin's MFA after the identity
 * check. Each screen is checked with axe-core and for sideways scrolling, and photographed.
 */
describe('the portal, operator screens, in Chromium', () => {
  const smtp = new SmtpSink();
  const sms = new WebhookSink();
  const suffix = randomSuffix();
  const operator = {
    userId: `ops-${suffix}`,
    email: `ops-${suffix}@provider.example`,
    password: strongPassword(),
  };
  const tenant = {
    number: `Q${suffix.toUpperCase().replace(/[^0-9A-Z]/g, '0')}`,
    name: `運用テスト株式会社 ${suffix}`,
  };
  const service = { code: `edr${suffix}`, name: `EDR ${suffix}` };
  const admin = {
    userId: `admin-${suffix}@customer.example.fm`,
    email: `admin-${suffix}@customer.example`,
    phone: `+8190${String(Date.now()).slice(-8)}`,
    password: strongPassword(),
  };
  let platform: Awaited<ReturnType<typeof startPlatform>>;
  let browser: Browser;
  let api: ApiClient;
  let ops: ApiClient;
  let customer: ApiClient;
  let customerToken: string;
  let caseNumber: string;

  beforeAll(async () => {
    ({ platform, browser, api } = await startPortalWorld(
      { smtp, sms },
      { run: `ops-${suffix}`, locale: 'ja-JP' },
    ));
    // A step that fails should fail fast: every screen here answers within a few seconds.
    browser.page.setDefaultTimeout(15_000);
  });

  afterAll(() => stopPortalWorld({ platform, browser }, { smtp, sms }));

  const checkScreen = (name: string) => checkPortalScreen(browser, name);

  /** A section of the operations menu; the session lives in the page, so it is never reloaded. */
  async function openSection(name: string): Promise<void> {
    await browser.page.getByRole('navigation', { name: '運用メニュー' }).getByRole('link', { name }).click();
  }

  it('logs the operator in and opens the operations menu', async () => {
    await createOperator(operator.userId, operator.email, operator.password);
    // A session of the operator's own for what the customer side needs (a catalogue item).
    ops = api.withToken(
      (await loginWithEmailCode(api, smtp, operator.userId, operator.email, operator.password)).accessToken,
    );
    smtp.clear();

    const { page } = browser;
    await page.goto(`${platform.rootUrl}/login`);
    await page.getByLabel('ID').fill(operator.userId);
    await page.getByLabel('パスワード').fill(operator.password);
    await page.getByRole('button', { name: 'ログイン' }).click();
    // An operator's only second step is a code by e-mail: the portal asks for it straight away.
    const byEmail = page.getByRole('button', { name: /メールでコードを受け取る/ });
    const codeField = page.getByLabel('確認コード（6 桁）');
    await codeField.or(byEmail).first().waitFor();
    if (await byEmail.isVisible()) {
      await byEmail.click();
    }
    const mail = await smtp.waitFor((m) => m.to.includes(operator.email) && /\b\d{6}\b/.test(m.text ?? ''));
    smtp.clear();
    await codeField.fill(extractCode(mail.text ?? ''));
    await page.getByRole('button', { name: '確認する' }).click();
    // An operator lands on the operator area, not on the account page.
    await page.waitForURL(/\/ops$/);
    await page.getByRole('heading', { name: '運用', level: 1 }).waitFor();
    await page
      .getByRole('navigation', { name: 'メインメニュー' })
      .getByRole('link', { name: '運用' })
      .waitFor();
    await checkScreen('ops-home');
  });

  it('opens the queue dashboard in a tab of its own', async () => {
    const { page, context } = browser;
    const [tab] = await Promise.all([
      context.waitForEvent('page'),
      page.getByRole('button', { name: /キューのダッシュボードを開く/ }).click(),
    ]);
    await tab.waitForURL(/\/api\/v1\/ops\/queues/);
    // The board's own page, drawn by its scripts under the gateway's Content-Security-Policy.
    await tab.getByText('Mamori queues').first().waitFor();
    await tab.getByText('email', { exact: false }).first().waitFor();
    await tab.close();
  });

  it('creates a tenant and a service it can contract', async () => {
    const { page } = browser;
    await openSection('テナント');
    await page.getByRole('heading', { name: 'テナント', level: 1 }).waitFor();
    await page.getByLabel('お客さま番号').fill(tenant.number);
    await page.getByLabel('契約者名').fill(tenant.name);
    await page.getByRole('button', { name: 'テナントを作成する' }).click();
    await page
      .getByRole('status')
      .filter({ hasText: `テナント ${tenant.number} を作成しました。` })
      .waitFor();
    await page.getByLabel('サービスコード（例: edr）').fill(service.code);
    await page.getByLabel('サービス名（日本語）').fill(service.name);
    await page.getByLabel('サービス名（英語）').fill(service.name);
    await page.getByRole('button', { name: 'サービスを追加する' }).click();
    await page.getByText(`(${service.code})`).waitFor();
    await page.getByRole('link', { name: `${tenant.number} ${tenant.name}` }).waitFor();
    await checkScreen('ops-tenants');
  });

  it("creates the tenant's representative admin and contracts the service", async () => {
    const { page } = browser;
    await page.getByRole('link', { name: `${tenant.number} ${tenant.name}` }).click();
    await page.getByRole('heading', { name: '代表管理者' }).waitFor();
    await page.getByLabel('ID', { exact: true }).fill(admin.userId);
    await page.getByLabel('メールアドレス').fill(admin.email);
    await page.getByLabel('姓', { exact: true }).fill('山田');
    await page.getByLabel('名', { exact: true }).fill('花子');
    await page.getByLabel('携帯電話番号').fill(admin.phone);
    await page.getByRole('button', { name: '代表管理者を作成する' }).click();
    await page.getByText(`${admin.userId}（${admin.email}）を作成しました。`).waitFor();

    await page.getByLabel('サービス', { exact: true }).selectOption({ label: service.name });
    await page.getByLabel('契約開始日').fill('2026-04-01');
    await page.getByLabel('契約ID数').fill('50');
    await page.getByRole('button', { name: '契約を追加する' }).click();
    await page.getByRole('button', { name: `${service.name} の契約を変更` }).waitFor();
    const admins = page.getByRole('list', { name: 'このテナントの管理者' });
    await admins.getByText(`${admin.userId} · 山田 花子 · ${admin.email}`).waitFor();
    await checkScreen('ops-tenant');

    // The admin is listed from the API, not from this page's memory: away and back, still there.
    await page.getByRole('link', { name: 'テナント一覧へ戻る' }).click();
    await page.getByRole('link', { name: `${tenant.number} ${tenant.name}` }).click();
    await admins.getByText(`${admin.userId} · 山田 花子 · ${admin.email}`).waitFor();
    expect(await page.getByText(`${admin.userId}（${admin.email}）を作成しました。`).count()).toBe(0);
  });

  it('publishes a knowledge article in a new base and category', async () => {
    const { page } = browser;
    await openSection('ナレッジ');
    await page.getByRole('heading', { name: 'ナレッジ', level: 1 }).waitFor();
    await page.getByLabel('ナレッジベース名（日本語）').fill(`EDRナレッジ ${suffix}`);
    await page.getByLabel('ナレッジベース名（英語）').fill(`EDR knowledge ${suffix}`);
    await page.getByRole('button', { name: 'ナレッジベースを追加する' }).click();
    await page.getByLabel('追加先のナレッジベース').selectOption({ label: `EDRナレッジ ${suffix}` });
    await page.getByLabel('カテゴリーコード').fill('01-faq');
    await page.getByLabel('カテゴリー名（日本語）').fill('よくある質問');
    await page.getByLabel('カテゴリー名（英語）').fill('FAQ');
    await page.getByRole('button', { name: 'カテゴリーを追加する' }).click();
    await page.getByText('01-faq よくある質問').waitFor();

    await page.getByLabel('ナレッジベース', { exact: true }).selectOption({ label: `EDRナレッジ ${suffix}` });
    await page.getByLabel('カテゴリー', { exact: true }).selectOption({ label: '01-faq よくある質問' });
    await page.getByLabel('タイトル').fill(`エージェントの対応OS ${suffix}`);
    await page
      .getByLabel('本文')
      .fill('Windows 11 と macOS 14 に対応しています。\n\n詳しくは仕様書をご覧ください。');
    await page.getByRole('button', { name: '公開する' }).click();
    await page
      .getByRole('status')
      .filter({ hasText: /記事 KB\d{7} を公開しました。/ })
      .waitFor();
    await page.getByRole('link', { name: new RegExp(`KB\\d{7} エージェントの対応OS ${suffix}`) }).waitFor();
    await checkScreen('ops-knowledge');
  });

  it('publishes an announcement as a banner for everyone', async () => {
    const { page } = browser;
    await openSection('お知らせ');
    await page.getByRole('heading', { name: 'お知らせ', level: 1 }).waitFor();
    await page.getByLabel('件名').fill(`メンテナンスのお知らせ ${suffix}`);
    await page.getByLabel('本文').fill('日曜日の 2:00〜4:00 に保守作業を行います。');
    await page.getByLabel('バナーとして表示する').check();
    await page.getByRole('button', { name: 'お知らせを登録する' }).click();
    await page
      .getByRole('status')
      .filter({ hasText: `メンテナンスのお知らせ ${suffix}` })
      .waitFor();
    await page.getByRole('link', { name: `メンテナンスのお知らせ ${suffix}` }).waitFor();
    await checkScreen('ops-announcements');
  });

  it("finds the admin's password mail in the message status, masked, with its history", async () => {
    expect(
      (await api.post('/auth/password-reset', { userId: admin.userId, email: admin.email })).status,
    ).toBe(202);
    const { page } = browser;
    await openSection('送信状況');
    await page.getByRole('heading', { name: 'メッセージの送信状況' }).waitFor();
    await page.getByLabel('宛先').fill(admin.email);
    await page.getByLabel('種類').fill('password-reset-link');
    const found = page.getByRole('link', { name: 'パスワード設定リンク' });
    const rows = page.locator('.ops-list li');
    // The message is recorded when the notification service takes the job: search until the
    // filtered list holds it, and only messages to the admin (the operator's own codes left out).
    let texts: string[] = [];
    for (let i = 0; i < 20; i++) {
      await page.getByRole('button', { name: '検索' }).click();
      await page.waitForTimeout(300);
      texts = await rows.allInnerTexts();
      if (texts.length > 0 && texts.every((text) => text.includes('パスワード設定リンク'))) {
        break;
      }
    }
    expect(texts.length).toBeGreaterThan(0);
    for (const text of texts) {
      expect(text).toContain('パスワード設定リンク');
      expect(text).toMatch(/ad\*+@customer\.example/);
      expect(text).not.toContain(admin.email);
    }
    await checkScreen('ops-messages');

    await found.first().click();
    await page.getByRole('heading', { name: '状態の履歴' }).waitFor();
    await page.getByText('キュー投入', { exact: true }).waitFor();
    expect(await page.locator('main').innerText()).not.toContain(admin.email);
    await checkScreen('ops-message');
  });

  it('accepts one work request and rejects another with a reason', async () => {
    // The admin sets the password from the mail and logs in by SMS; a customer's requests follow.
    const mail = await smtp.waitFor(
      (m) => m.to.includes(admin.email) && (m.text ?? '').includes('/password-reset/'),
    );
    const token = /\/password-reset\/([A-Za-z0-9_-]+)/.exec(mail.text ?? '')?.[1];
    expect((await api.post(`/auth/password-reset/${token}`, { newPassword: admin.password })).status).toBe(
      204,
    );
    customerToken = (await loginWithSmsCode(api, sms, admin.userId, admin.phone, admin.password)).accessToken;
    customer = api.withToken(customerToken);
    const items = await Promise.all(
      ['A', 'B'].map((letter) =>
        ops.post('/ops/work-request-items', {
          code: `WR-${suffix}${letter}`,
          name: { ja: `ブロックリスト追加${letter}`, en: `Block list entry ${letter}` },
          description: { ja: 'URLをブロックします。', en: 'Blocks URLs.' },
          service: service.code,
          fields: [
            { key: 'target', label: { ja: '対象URL', en: 'Target URL' }, type: 'text', required: true },
          ],
        }),
      ),
    );
    for (const item of items) {
      expect(item.status).toBe(201);
      const submitted = await customer.post('/work-requests', {
        itemId: item.body.id,
        fields: { target: 'https://bad.example/' },
      });
      expect(submitted.status).toBe(201);
    }

    const { page } = browser;
    await openSection('作業依頼');
    await page.getByRole('button', { name: '「ブロックリスト追加A」を受け付ける' }).click();
    await page
      .getByRole('status')
      .filter({ hasText: /ケース CS\d{7} を作成しました。/ })
      .waitFor();
    await page
      .getByRole('button', { name: '「ブロックリスト追加A」を受け付ける' })
      .waitFor({ state: 'detached' });
    await checkScreen('ops-work-requests');

    await page.getByRole('button', { name: '「ブロックリスト追加B」を却下する' }).click();
    const dialog = page.getByRole('dialog', { name: '「ブロックリスト追加B」の却下' });
    await dialog.getByRole('button', { name: '却下する', exact: true }).click();
    await dialog.getByText('却下の理由を入力してください。').waitFor();
    await dialog.getByLabel('却下の理由').fill('ご契約の範囲外のため、お受けできません。');
    await checkScreen('ops-work-request-reject');
    await dialog.getByRole('button', { name: '却下する', exact: true }).click();
    await page.getByRole('status').filter({ hasText: '却下しました。' }).waitFor();
    const requests = await customer.get('/work-requests');
    const rejected = requests.body.find((r: { item: { code: string } }) => r.item.code === `WR-${suffix}B`);
    expect(rejected).toMatchObject({
      status: 'rejected',
      reason: 'ご契約の範囲外のため、お受けできません。',
    });
  });

  it("replies to the admin's case and moves its status", async () => {
    const opened = await customer.post('/cases', {
      service: service.code,
      category: 'service',
      subject: `検知の確認 ${suffix}`,
      description: '昨日の検知について教えてください。',
    });
    expect(opened.status).toBe(201);
    caseNumber = opened.body.number;
    // The customer attaches a log (multipart, as the portal sends it); the operator downloads it below.
    const form = new FormData();
    form.append('file', new Blob(['2026-04-01 detection log\n'], { type: 'text/plain' }), 'detection.log');
    const attached = await fetch(`${api.baseUrl}/cases/${caseNumber}/attachments`, {
      method: 'POST',
      headers: { authorization: `Bearer ${customerToken}` },
      body: form,
    });
    expect(attached.status).toBe(201);

    const { page } = browser;
    await openSection('ケース');
    await page.getByLabel('テナント', { exact: true }).selectOption(tenant.number);
    await page.getByRole('button', { name: '検索' }).click();
    const link = page.getByRole('link', { name: `${caseNumber} 検知の確認 ${suffix}` });
    await link.waitFor();
    await checkScreen('ops-cases');

    await link.click();
    await page.getByText('昨日の検知について教えてください。').waitFor();
    // Category and service by their names, not their codes.
    await page.getByText('サービスについて', { exact: true }).waitFor();
    await page.getByText(service.name, { exact: true }).waitFor();
    // The operator saves the file through a plain link under /ops, streamed by the browser.
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('link', { name: 'detection.log をダウンロード' }).click(),
    ]);
    expect(download.suggestedFilename()).toBe('detection.log');
    expect(new URL(download.url()).pathname).toMatch(
      new RegExp(`^/api/v1/ops/cases/${caseNumber}/attachments/`),
    );
    expect(fs.readFileSync(await download.path(), 'utf8')).toBe('2026-04-01 detection log\n');
    await page.getByLabel('回答内容').fill('確認しました。\n\n誤検知のため対応は不要です。');
    await page.getByRole('button', { name: '回答する' }).click();
    await page.getByRole('status').filter({ hasText: '回答しました。' }).waitFor();
    await page.getByText('誤検知のため対応は不要です。').waitFor();
    await page.getByLabel('新しいステータス').selectOption('awaiting_customer');
    await page.getByRole('button', { name: 'ステータスを変更する' }).click();
    await page.getByText('ステータスが「新規」から「お客さま回答待ち」に変わりました。').waitFor();
    await checkScreen('ops-case');

    const seen = await customer.get(`/cases/${caseNumber}`);
    expect(seen.body.status).toBe('awaiting_customer');
    expect(
      seen.body.activity.some((a: { body?: string }) => a.body?.includes('誤検知のため対応は不要です。')),
    ).toBe(true);
  });

  it("resets the requester's MFA after the identity check, from the case", async () => {
    const { page } = browser;
    await page.getByRole('link', { name: '起票者のMFAをリセット（本人確認）' }).click();
    await page.getByRole('heading', { name: 'MFAのリセット' }).waitFor();
    expect(await page.getByLabel('ケース番号').inputValue()).toBe(caseNumber);
    await page.getByLabel('登録メールアドレス').fill(admin.email);
    await page.getByLabel('姓', { exact: true }).fill('山田');
    await page.getByLabel('会社名（所属テナント名）').fill('別の会社');
    await page.getByLabel('本人からの依頼であることを確認しました').check();
    await page.getByRole('button', { name: 'MFAをリセットする' }).click();
    await page.getByRole('alert').filter({ hasText: '一致しなかった項目' }).waitFor();

    await page.getByLabel('会社名（所属テナント名）').fill(tenant.name);
    await page.getByRole('button', { name: 'MFAをリセットする' }).click();
    await page.getByRole('status').filter({ hasText: 'MFAをリセットしました。' }).waitFor();
    await checkScreen('ops-mfa-reset');

    // Switchable at any time: the operator screens speak English too.
    await page.getByLabel('表示言語').selectOption('en');
    await page.getByRole('heading', { name: 'MFA reset', level: 1 }).waitFor();
    await page
      .getByRole('navigation', { name: 'Operations menu' })
      .getByRole('link', { name: 'Cases' })
      .waitFor();
    await checkScreen('ops-mfa-reset-en');
    await smtp.waitFor((m) => m.to.includes(admin.email) && (m.text ?? '').includes(caseNumber));
    expect(browser.problems).toEqual([]);
  });

  it("reads one tenant's audit log and exports it", async () => {
    const { page } = browser;
    await page
      .getByRole('navigation', { name: 'Operations menu' })
      .getByRole('link', { name: 'Tenants' })
      .click();
    await page.getByRole('link', { name: `${tenant.number} ${tenant.name}` }).click();
    await page.getByRole('link', { name: "This tenant's audit log" }).click();
    await page.getByRole('heading', { name: `Audit log of ${tenant.number}` }).waitFor();
    // The trail is written from the event stream: filter again until the admin's creation is in.
    const types = () =>
      page
        .locator('tbody tr')
        // Runs in the page; the tests' tsconfig has no DOM types.
        .evaluateAll((rows) =>
          rows.map((row) => (row as unknown as { dataset: { type?: string } }).dataset.type),
        );
    await page.getByLabel('Type (or its start, e.g. auth.user)').fill('auth.user');
    let seen: (string | undefined)[] = [];
    for (let attempt = 0; attempt < 20 && !seen.includes('auth.user.created'); attempt++) {
      await page.getByRole('button', { name: 'Filter', exact: true }).click();
      await page.waitForTimeout(500);
      seen = await types();
    }
    expect(seen).toContain('auth.user.created');
    expect(seen.every((type) => type?.startsWith('auth.user'))).toBe(true);

    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('button', { name: 'Export CSV' }).click(),
    ]);
    const url = new URL(download.url());
    expect(url.pathname).toBe('/api/v1/ops/audit-events');
    expect(url.searchParams.get('tenant')).toBe(tenant.number);
    const rows = fs
      .readFileSync(await download.path(), 'utf8')
      .trim()
      .split('\n');
    expect(rows.slice(1).some((row) => row.includes('auth.user.created'))).toBe(true);
    expect(browser.problems).toEqual([]);
  });
});
