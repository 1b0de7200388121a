/// <reference lib="dom" />
import { randomUUID } from 'crypto';
import { readFileSync, statSync } from 'fs';
import { join } from 'path';
import type { Page } from 'playwright-core';
import { ConsoleHarness, screenshotDir, skipReason, startConsole } from './support/console-harness';

const ADMIN = 'ダイレクト販売株式会社 管理エージェント';
const SALES = 'ダイレクト販売株式会社 販売代理店';
const DISTRIBUTOR = 'ディストリビューター';

const reason = skipReason();
if (reason) console.warn(reason);
const describeInBrowser = reason ? describe.skip : describe;

describeInBrowser('the console in a browser (seeds 000, 001, 002, billing)', () => {
  let h: ConsoleHarness;
  let shots: string;
  const contract: { url?: string; number?: string } = {};
  jest.setTimeout(120_000);

  beforeAll(async () => {
    // A slow simulated vendor, so the screens have to wait for it: 契約確定 until the subscription is
    // ACTIVE, 解約確定 before the vendor confirmed (the supplier warning).
    h = await startConsole({ PARTNER_CENTER_LATENCY_MS: '3000' });
    shots = screenshotDir();
  });
  afterAll(async () => h?.close());

  const dialog = (page: Page) => page.getByRole('dialog');
  // Presses a dialog's button that closes it, and waits until it has gone: a dialog fading out
  // (Mantine's exit transition) would otherwise be found beside the next one the test opens.
  const pressAndClose = async (page: Page, name: string) => {
    await dialog(page).getByRole('button', { name, exact: true }).click();
    await page.waitForFunction(() => document.querySelectorAll('[role="dialog"]').length === 0);
  };
  // After the dialogs' opening transition (200 ms), so the picture shows them as the user does.
  const shot = async (page: Page, name: string) => {
    await page.waitForTimeout(400);
    await page.screenshot({ path: join(shots, `${name}.png`), fullPage: true });
  };
  const status = (page: Page) => page.locator('h2 + .mantine-Badge-root, h2 ~ [data-status]').first();

  it('seed 000: customer → order → 受付 → tenant → 発注 → 契約作成 → 契約確定 → 契約中 in 契約一覧', async () => {
    const page = await h.signedIn(ADMIN);
    await page.getByRole('link', { name: '販売先', exact: true }).click();
    await page.getByRole('link', { name: '販売先登録' }).click();
    await page.getByRole('heading', { name: '販売先登録' }).waitFor();
    const company = `株式会社コンソール${Date.now() % 100000}`;
    await page.getByRole('textbox', { name: '会社名', exact: true }).fill(company);
    await page.getByRole('textbox', { name: '会社名(カナ)', exact: true }).fill('カブシキガイシャコンソール');
    await page.getByRole('textbox', { name: '事業所名', exact: true }).fill('本社');
    await page.getByRole('textbox', { name: '担当者名', exact: true }).fill('山田 太郎');
    await page.getByRole('textbox', { name: '電話番号', exact: true }).fill('03-1234-5678');
    await page.getByRole('textbox', { name: 'メールアドレス', exact: true }).fill('yamada@example.co.jp');
    await page.getByRole('textbox', { name: '郵便番号', exact: true }).fill('1000001');
    // The postal code fills 都道府県 and 市区町村 from the shipped Japan Post data.
    await expectValue(page, '都道府県', '東京都');
    await expectValue(page, '市区町村', '千代田区');
    await page.getByRole('textbox', { name: '住所1', exact: true }).fill('千代田1-1');
    await page.getByRole('button', { name: '保存' }).click();
    await page.getByRole('heading', { name: `販売先 ${company}` }).waitFor();

    await page.getByRole('button', { name: 'テナント登録' }).click();
    const guid = randomUUID();
    await dialog(page).getByRole('textbox', { name: 'テナントID (GUID)', exact: true }).fill(guid);
    await dialog(page).getByRole('textbox', { name: 'プライマリドメイン', exact: true }).fill(`c${guid.slice(0, 8)}.onmicrosoft.com`);
    await pressAndClose(page, '保存');
    await page.getByRole('cell', { name: 'MCA未同意' }).waitFor();
    await page.getByRole('button', { name: 'MCA 同意の証明' }).click();
    await dialog(page).getByRole('textbox', { name: '姓', exact: true }).fill('山田');
    await dialog(page).getByRole('textbox', { name: '名', exact: true }).fill('太郎');
    await dialog(page).getByRole('textbox', { name: 'メールアドレス', exact: true }).fill('yamada@example.co.jp');
    await pressAndClose(page, '保存');
    await page.getByRole('cell', { name: 'MCA同意済' }).waitFor();

    await page.getByRole('link', { name: '注文作成', exact: true }).first().click();
    await chooseOption(page, page.getByRole('combobox', { name: '販売先' }), company);
    await page.getByRole('tab', { name: '注文明細' }).click();
    await chooseOption(page, page.getByRole('combobox', { name: '商品 1' }), 'Office 365 E1（Microsoft・月間契約）');
    await page.getByRole('textbox', { name: '数量 1', exact: true }).fill('3');
    await page.getByRole('tab', { name: '注文情報' }).click();
    await page.getByRole('button', { name: '商品名から生成' }).click();
    await page.getByRole('button', { name: '件名をコピー' }).click();
    await expectValue(page, '件名(帳票用)', 'Office 365 E1');
    await page.getByRole('button', { name: '保存' }).click();
    await page.getByRole('heading', { name: /^注文 NOD/ }).waitFor();
    expect(await status(page).textContent()).toBe('申請');
    await shot(page, 'order-detail');

    await page.getByRole('button', { name: '受付', exact: true }).click();
    await dialog(page).getByText('受付処理を実行します。よろしいですか？').waitFor();
    await pressAndClose(page, '受付');
    await page.getByText('受付処理が完了しました。').waitFor();
    await expectStatus(page, '受付済');

    await page.getByRole('button', { name: 'MS CSP プロビジョニング情報選択' }).click();
    await chooseOption(page, dialog(page).getByRole('combobox', { name: 'テナント（プロビジョニング情報）' }), `c${guid.slice(0, 8)}.onmicrosoft.com`);
    await pressAndClose(page, '保存');
    await page.getByText('申請書を保存しました。').waitFor();

    await page.getByRole('button', { name: '発注', exact: true }).click();
    await dialog(page).getByText('発注する商品を選択してください。').waitFor();
    await pressAndClose(page, '発注');
    await expectStatus(page, '発注済');
    await page.getByRole('cell', { name: '発注済' }).waitFor();

    await page.getByRole('button', { name: '契約作成' }).click();
    await expectValue(dialog(page), '件名', 'Office 365 E1');
    await pressAndClose(page, '保存');
    await page.getByRole('heading', { name: /^契約 NCN/ }).waitFor();
    contract.url = page.url();
    contract.number = (await page.getByRole('heading', { name: /^契約 NCN/ }).textContent())!.replace('契約 ', '');
    await expectStatus(page, '新規契約手続中');

    // Provisioning is not complete yet: 契約確定 says why, then enables itself once the subscription is ACTIVE.
    const confirm = page.getByRole('button', { name: '契約確定' });
    expect(await confirm.isDisabled()).toBe(true);
    await page.getByText(/プロビジョニングが完了していないため契約確定できません/).waitFor();
    await shot(page, 'contract-waiting-for-provisioning');
    await page.waitForFunction(() => !(document.querySelector('button[title]') as HTMLButtonElement | null)?.disabled, undefined, { timeout: 20_000 });
    await confirm.click();
    await dialog(page).getByText('確定処理を実行します。よろしいですか？').waitFor();
    await pressAndClose(page, '確定');
    await page.getByText('確定が完了しました。').waitFor();
    await expectStatus(page, '契約中');
    await shot(page, 'contract-detail');

    await page.getByRole('link', { name: '契約一覧' }).click();
    const row = page.getByRole('row').filter({ hasText: contract.number });
    await row.getByText('契約中').waitFor();
    await page.getByTestId('page-range').filter({ hasText: /^1 ~ \d+件目 \/ \d+件中$/ }).waitFor();
    await shot(page, 'contracts');

    // The filtered list as CSV that Excel in Japan opens: UTF-8 with a BOM.
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'CSV出力' }).click()]);
    const csv = readFileSync((await download.path())!, 'utf8');
    expect(csv.charCodeAt(0)).toBe(0xfeff);
    expect(csv).toContain('契約ステータス,契約番号,顧客(会社名)');
    expect(csv).toContain(`契約中,${contract.number},${company}`);
    await page.context().close();
  });

  it('seed 001: 解約手続き → 受付 → 解約連携 → 解約確定 warns that the supplier has not confirmed, 強制確定 ends it', async () => {
    expect(contract.url).toBeDefined();
    const page = await h.signedIn(ADMIN);
    await page.goto(contract.url!);
    await page.getByRole('button', { name: '解約手続き' }).click();
    await dialog(page).getByLabel('Office 365 E1 を選択').check();
    await dialog(page).getByRole('textbox', { name: 'Office 365 E1 の解約数', exact: true }).fill('2');
    await pressAndClose(page, '確認');
    await page.getByRole('heading', { name: /^契約変更（解約）/ }).waitFor();
    await expectStatus(page, '申請');

    await page.getByRole('button', { name: '受付', exact: true }).click();
    await pressAndClose(page, '受付');
    await expectStatus(page, '受付済');
    await page.getByRole('button', { name: '解約連携' }).click();
    await pressAndClose(page, '解約連携');
    await page.getByRole('cell', { name: '連携済' }).waitFor();
    // Linked: 受付取消 is no longer possible, and says why.
    await page.getByText('発注済みの為、受付取消はできません。').waitFor();

    // The vendor takes 3 s to confirm: confirming at once meets the supplier warning.
    await page.getByRole('button', { name: '解約確定' }).click();
    await dialog(page).getByRole('button', { name: '解約確定' }).click();
    await dialog(page).getByText('仕入元で解約処理が確定されていません。解約確定してもよろしいですか？').waitFor();
    await shot(page, 'change-supplier-warning');
    await pressAndClose(page, '強制確定');
    await page.getByText('解約確定が完了しました。').waitFor();
    await expectStatus(page, '変更済');
    await page.getByText('強制確定').waitFor();

    await page.getByRole('link', { name: '契約変更一覧' }).click();
    await page.getByRole('row').filter({ hasText: contract.number! }).getByText('変更済').waitFor();
    await page.context().close();
  });

  it('roles: a sales agent sees no distributor screens and cannot delete an order', async () => {
    const page = await h.signedIn(SALES);
    await page.getByRole('link', { name: '注文一覧' }).waitFor();
    expect(await page.getByRole('link', { name: '請求処理' }).count()).toBe(0);
    expect(await page.getByRole('link', { name: '運用' }).count()).toBe(0);
    await page.getByRole('button', { name: 'サインアウト' }).click();
    await page.getByLabel('トークン').waitFor();
    await page.getByRole('textbox', { name: 'トークン', exact: true }).fill('not-a-token');
    await page.getByRole('button', { name: 'サインイン' }).click();
    await page.getByText('トークンが正しくないか、有効期限が切れています。').waitFor();
    await page.context().close();
  });

  it('seed 002: distributor staff activate a manually provisioned product (アクティベーション)', async () => {
    const customer = await h.call<{ id: string }>(ADMIN, 'POST', '/customers', {
      companyName: '株式会社ポケトーク利用', companyNameKana: 'カブシキガイシャポケトークリヨウ', siteName: '本社',
      contact: { name: '佐藤 花子', phone: '03-0000-0000', email: 'sato@example.co.jp' },
      address: { postalCode: '1000001', prefecture: '東京都', city: '千代田区', address1: '千代田1-1' },
    });
    const order = await h.call<{ id: string }>(ADMIN, 'POST', '/orders', { customerId: customer.id, lines: [{ sku: 'SN-POCKETALK-SI-Y', quantity: 2 }], purchaseOrderNumber: 'PO-7' });
    await h.call(ADMIN, 'POST', `/orders/${order.id}/accept`);
    await h.call(ADMIN, 'POST', `/orders/${order.id}/place`);

    const page = await h.signedIn(DISTRIBUTOR);
    await page.getByRole('link', { name: 'プロビジョニング' }).click();
    const row = page.getByRole('row').filter({ hasText: '株式会社ポケトーク利用' });
    await row.getByText('マニュアルプロビジョニング').waitFor();
    await shot(page, 'subscriptions');
    await row.getByRole('button', { name: 'アクティベーション' }).click();
    await pressAndClose(page, 'アクティベーション');
    await row.getByText('アクティベーション済').waitFor();

    // A reseller's staff never see the button.
    const reseller = await h.signedIn(ADMIN);
    await reseller.getByRole('link', { name: 'プロビジョニング' }).click();
    await reseller.getByRole('row').filter({ hasText: '株式会社ポケトーク利用' }).getByText('アクティベーション済').waitFor();
    expect(await reseller.getByRole('button', { name: 'アクティベーション' }).count()).toBe(0);
    await reseller.context().close();
    await page.context().close();
  });

  it('billing: distributor staff run a month; the qualified invoice opens for print on A4', async () => {
    const page = await h.signedIn(DISTRIBUTOR);
    await page.getByRole('link', { name: '請求処理' }).click();
    await page.getByRole('button', { name: '請求処理を実行' }).click();
    const summary = page.getByTestId('run-summary');
    await summary.waitFor();
    await summary.getByRole('link').first().click();
    const sheet = page.getByTestId('invoice-sheet');
    await sheet.getByText('適格請求書').waitFor();
    await sheet.getByText('登録番号: T1234567890123').waitFor();
    await sheet.getByText(/^\d{4}年\d{1,2}月分$/).waitFor();
    await sheet.getByText(/御中$/).waitFor();
    await sheet.getByText(/10%対象/).waitFor();
    await shot(page, 'invoice');

    await page.emulateMedia({ media: 'print' });
    expect(await page.getByRole('navigation').isVisible()).toBe(false);
    expect(await page.getByRole('button', { name: '印刷' }).isVisible()).toBe(false);
    const pdf = join(shots, 'invoice.pdf');
    await page.pdf({ path: pdf, format: 'A4', printBackground: true });
    expect(statSync(pdf).size).toBeGreaterThan(10_000);
    await page.context().close();
  });

  it('a reload of a screen shows the screen; the same path asked for JSON stays the API; / is the start page for any client', async () => {
    const page = await h.signedIn(ADMIN);
    await page.goto('/orders');
    await page.getByRole('heading', { name: '注文一覧' }).waitFor();
    await shot(page, 'orders');
    expect(await page.evaluate(() => document.documentElement.lang)).toBe('ja');
    const api = await fetch(`${h.baseUrl}/orders`, { headers: { Accept: 'application/json' } });
    expect(api.status).toBe(401);
    expect(api.headers.get('content-type')).toContain('application/problem+json');
    const start = await fetch(`${h.baseUrl}/`);
    expect(start.status).toBe(200);
    expect(await start.text()).toContain('<html lang="ja">');
    const unknown = await fetch(`${h.baseUrl}/no-such-path`);
    expect(unknown.status).toBe(404);
    expect(unknown.headers.get('content-type')).toContain('application/problem+json');
    await page.context().close();
  });
});

async function expectValue(scope: Page | ReturnType<Page['getByRole']>, label: string, value: string) {
  // By accessible name: a required field's label also shows an asterisk.
  const input = scope.getByRole('textbox', { name: label, exact: true });
  for (let i = 0; i < 100; i++) {
    if ((await input.inputValue()) === value) return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  expect(await input.inputValue()).toBe(value);
}

async function expectStatus(page: Page, label: string) {
  // The badge beside the screen's title (a detail screen re-reads its read model after each command).
  await page.locator('h2 ~ [data-status]').filter({ hasText: new RegExp(`^${label}$`) }).first().waitFor();
}

async function chooseOption(page: Page, input: ReturnType<Page['getByRole']>, option: string) {
  await input.click();
  await page.getByRole('option', { name: option }).click();
}
