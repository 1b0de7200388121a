/**
 * `npm run -s build && node dist/bench/screens-bench.js` — the list screens besides 注文一覧 at the
 * scale of 1M orders, on the embedded read store (a benchmark, not a test: it prints figures and never
 * fails on them). Per screen, in a SqliteReadStore file of its own:
 *   1. fills BENCH_SCREENS_ROWS (1,000,000) rows through ReadCollection.apply, shaped like the
 *      screen's view (its list's fields as the projection writes them, lines included, ~0.5–1 KB),
 *      spread over 20 resellers, 20,000 customers, their statuses and ~3 years; then makes what the
 *      screen's projection declares (indexes, text index, counted filters), as a first fill does:
 *      契約一覧 one contract per order, the subscriptions screen one per order (an order has 1–3
 *      lines), 契約変更一覧 one change per ten contracts, 請求書一覧 one invoice per customer and
 *      month (at most the rows), 顧客一覧 the 20,000 customers;
 *   2. times the pages the screen's service asks (its exported list options, through
 *      VisibleResource.listFor as the service calls it), for distributor staff (all resellers) and
 *      one reseller, BENCH_SCREENS_RUNS (200) times each: p50 / p99 ms, the first ask's (a filter's
 *      total is counted once, then kept) and the longest the event loop was held meanwhile.
 * BENCH_SCREENS picks screens by name (comma list: contracts, subscriptions, changes, invoices,
 * customers). With BENCH_SCREENS_DIR, each screen's file is kept there (`<screen>.sqlite`) and not
 * filled again when it holds the rows (two releases compared on the same rows). The target (issue:
 * lists at 1M orders) is p99 ≤ 20 ms for every list screen.
 */
import { mkdtempSync, rmSync, statSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { AuthenticatedUser } from '@lp/platform';
import { ensureProjectionIndexes, Page, Projection, ReadDocument, ReadStore } from '@lp/read-models';
import { SqliteReadStore } from '@lp/read-models/sqlite';
import { DatedListQuery, ListOptions, VisibleResource } from '@lp/runtime';
import { invoiceList, InvoiceQuery } from '../services/billing/src/application/billing.service';
import { invoicesProjection } from '../services/billing/src/projections/invoices.projection';
import { COLLECTIONS as BILLING } from '../services/billing/src/projections/views';
import { CONTRACT_CHANGE_LIST } from '../services/contract/src/application/contract-changes.service';
import { CONTRACT_LIST } from '../services/contract/src/application/contracts.service';
import { contractChangesProjection } from '../services/contract/src/projections/contract-changes.projection';
import { contractScreensProjection } from '../services/contract/src/projections/contracts.projection';
import { COLLECTIONS as CONTRACT } from '../services/contract/src/projections/views';
import { CUSTOMER_LIST } from '../services/order/src/application/customers.service';
import { orderScreensProjection } from '../services/order/src/projections/orders.projection';
import { COLLECTIONS as ORDER } from '../services/order/src/projections/views';
import { SUBSCRIPTION_LIST } from '../services/provisioning/src/application/subscriptions.service';
import { subscriptionsProjection } from '../services/provisioning/src/projections/subscriptions.projection';
import { COLLECTIONS as PROVISIONING } from '../services/provisioning/src/projections/views';
import { CUSTOMERS, mix, orderRow, PAGE_SIZE, pad } from './list-bench';
import { printBenchScriptResult } from './lib/child-phase';
import { fillRows } from './lib/fill-rows';
import { FindTiming, timeFinds } from './lib/time-finds';

const ROWS = Number(process.env.BENCH_SCREENS_ROWS ?? 1_000_000);
const RUNS = Number(process.env.BENCH_SCREENS_RUNS ?? 200);
const KEPT_DIR = process.env.BENCH_SCREENS_DIR;
const MONTHS = 36;

type Row = ReadDocument & { resellerId?: string } & Record<string, unknown>;
type Query = DatedListQuery & Record<string, string | number | undefined>;

const distributor: AuthenticatedUser = { id: 'bench-distributor', name: 'bench', roles: [], isDistributor: true };
const resellerUser: AuthenticatedUser = { id: 'bench-reseller', name: 'bench', roles: [], resellerId: 'reseller-3', isDistributor: false };

const CONTRACT_STATUSES = ['ACTIVE', 'ACTIVE', 'ACTIVE', 'ACTIVE', 'ACTIVE', 'ACTIVE', 'PENDING', 'CANCELLED'] as const;
const SUBSCRIPTION_STATUSES = ['ACTIVE', 'ACTIVE', 'ACTIVE', 'ACTIVE', 'ACTIVE', 'ACTIVE', 'ACTIVE', 'PROVISIONING', 'CANCELLED', 'CANCELLED', 'MANUAL_PROVISIONING', 'FAILED'] as const;
const CHANGE_TYPES = ['CANCELLATION', 'CANCELLATION', 'CHANGE', 'ADD', 'RENEWAL'] as const;
const CHANGE_STATUSES = ['COMPLETED', 'COMPLETED', 'COMPLETED', 'APPLIED', 'ACCEPTED', 'WITHDRAWN'] as const;

/** The sample catalog's SKUs (domain.md): a SKU is in one subscription of about a dozen. */
const SKUS = ['MS-O365-E1', 'MS-PROJECT-P1', 'MS-M365-BB', 'MS-O365-E1-TRIAL', 'MS-AZURE-PLAN', 'MS-DEFENDER-EP', 'MS-O365-E3', 'MS-M365-BP-NCE-M', 'MS-M365-BP-NCE-Y', 'MS-WINSRV-2022-STD', 'MS-SQLSRV-2019-STD-LEGACY', 'SN-POCKETALK-SI-Y', 'SN-POCKETALK-CC-M'];

const pick = <T>(values: readonly T[], i: number, salt: number): T => values[mix(i, salt) % values.length];
const hex = (n: number) => n.toString(16).padStart(8, '0');
/** A vendor's subscription id as Microsoft's look (a GUID), for subscription i. */
const vendorSubscriptionId = (i: number) => `${hex(mix(i, 6))}-${hex(mix(i, 12)).slice(0, 4)}-4${hex(mix(i, 13)).slice(0, 3)}-a${hex(mix(i, 14)).slice(0, 3)}-${hex(mix(i, 15))}${hex(mix(i, 16)).slice(0, 4)}`;

/** 契約一覧's row for order i: the order's customer, date, subject and lines. */
function contractRow(i: number): Row {
  const order = orderRow(i);
  const status = pick(CONTRACT_STATUSES, i, 4);
  const lines = order.lines.map((line) => ({
    id: line.id,
    orderLineId: line.id,
    sku: line.sku,
    productName: line.productName,
    quantity: line.quantity,
    unitPrice: line.unitPrice,
    billingPolicy: line.billingPolicy,
    trial: false,
    placedOn: order.orderDate,
    status: status === 'PENDING' ? 'PENDING' : status,
    statusLabel: status,
    startDate: status === 'PENDING' ? null : order.orderDate,
    endDate: null,
    cancelledOn: status === 'CANCELLED' ? order.orderDate : null,
    subscriptionId: `sub-${line.id}`,
    termDuration: 'P1Y',
    termStartDate: order.orderDate,
    termEndDate: null,
    autoRenew: true,
    nextTermQuantity: null,
    cancellationAllowedUntil: null,
  }));
  return {
    id: `con-${pad(i, 8)}`,
    resellerId: order.resellerId,
    contractNumber: `CON-${order.orderDate.slice(0, 4)}-${pad(i, 7)}`,
    orderId: order.id,
    orderNumber: order.orderNumber,
    customerId: order.customerId,
    status,
    statusLabel: status,
    subject: order.subject,
    subjectForForms: order.subjectForForms,
    contractDate: order.orderDate,
    paymentMethod: '請求書払い',
    storeNotes: null,
    purchaseOrderNumber: order.purchaseOrderNumber,
    endUserOrderNumber: null,
    productNames: [...new Set(lines.map((line) => line.productName))],
    startDate: status === 'PENDING' ? null : order.orderDate,
    endDate: null,
    cancelledOn: status === 'CANCELLED' ? order.orderDate : null,
    billing: status !== 'CANCELLED',
    lines,
    createdAt: order.createdAt,
    updatedAt: order.updatedAt,
  };
}

/** The subscriptions screen's row for the first line of order i. */
function subscriptionRow(i: number): Row {
  const order = orderRow(i);
  const line = order.lines[0];
  const status = pick(SUBSCRIPTION_STATUSES, i, 5);
  return {
    id: `sub-${pad(i, 8)}`,
    resellerId: order.resellerId,
    customerId: order.customerId,
    orderId: order.id,
    orderLineId: line.id,
    sku: pick(SKUS, i, 17),
    productName: line.productName,
    vendor: line.vendor,
    channel: 'DIRECT',
    provisioning: 'API',
    quantity: line.quantity,
    tenantId: null,
    purchaseOrderNumber: order.purchaseOrderNumber,
    placedOn: order.orderDate,
    status,
    statusLabel: status,
    vendorSubscriptionId: status === 'ACTIVE' || status === 'CANCELLED' ? vendorSubscriptionId(i) : null,
    productKey: null,
    cancellationAllowedUntil: null,
    provisionedAt: status === 'ACTIVE' ? order.createdAt : null,
    activatedAt: status === 'ACTIVE' ? order.createdAt : null,
    activatedBy: null,
    failureReason: status === 'FAILED' ? 'vendor refused: quota exceeded' : null,
    failedAt: status === 'FAILED' ? order.createdAt : null,
    attempts: 0,
    round: 1,
    createdAt: order.createdAt,
    updatedAt: order.updatedAt,
  };
}

/** 契約変更一覧's row: change i asks to change contract 10·i. */
function changeRow(i: number): Row {
  const contract = contractRow(i * 10);
  const type = pick(CHANGE_TYPES, i, 7);
  const status = pick(CHANGE_STATUSES, i, 8);
  const requestedOn = String(contract.contractDate);
  const lines = (contract.lines as Row[]).map((line) => ({
    lineId: line.id,
    orderLineId: line.orderLineId,
    sku: line.sku,
    productName: line.productName,
    subscriptionId: line.subscriptionId,
    quantity: line.quantity,
    linkStatus: status === 'COMPLETED' ? 'LINKED' : 'UNLINKED',
    linkStatusLabel: status,
    linkedOn: status === 'COMPLETED' ? requestedOn : null,
    vendorStatus: status === 'COMPLETED' ? 'CONFIRMED' : 'PENDING',
    vendorConfirmedOn: status === 'COMPLETED' ? requestedOn : null,
    vendorReason: null,
  }));
  return {
    id: `chg-${pad(i, 8)}`,
    changeId: `chg-${pad(i, 8)}`,
    contractId: contract.id,
    contractNumber: contract.contractNumber,
    orderId: contract.orderId,
    orderNumber: contract.orderNumber,
    resellerId: contract.resellerId,
    customerId: contract.customerId,
    type,
    typeLabel: type,
    status,
    statusLabel: status,
    requestedOn,
    acceptedOn: status === 'APPLIED' ? null : requestedOn,
    completedOn: status === 'COMPLETED' ? requestedOn : null,
    withdrawnOn: status === 'WITHDRAWN' ? requestedOn : null,
    endDate: null,
    effectiveOn: requestedOn,
    forced: false,
    subject: contract.subject,
    lines,
    createdAt: contract.createdAt,
    updatedAt: contract.updatedAt,
  };
}

/** 請求書一覧's row: customer i % CUSTOMERS's invoice of month ⌊i / CUSTOMERS⌋ (one in fifty a credit note). */
function invoiceRow(i: number): Row {
  const customer = i % CUSTOMERS;
  const month = new Date(Date.UTC(2024, Math.floor(i / CUSTOMERS), 1)).toISOString().slice(0, 7);
  const kind = mix(i, 9) % 50 === 0 ? 'CREDIT_NOTE' : 'INVOICE';
  const number = `${kind === 'INVOICE' ? 'INV' : 'CN'}${month.replace('-', '')}-${pad(customer, 5)}`;
  const subtotal = 12_000 + (mix(i, 10) % 200) * 600;
  return {
    id: `inv-${pad(i, 8)}`,
    kind,
    invoiceNumber: number,
    number,
    originalInvoiceId: null,
    originalInvoiceNumber: null,
    customerId: `cust-${pad(customer, 5)}`,
    resellerId: `reseller-${customer % 20}`,
    month,
    periodLabel: `${month.slice(0, 4)}年${Number(month.slice(5))}月分`,
    issuedOn: `${month}-01`,
    issuer: { name: '株式会社ディストリビューター', registrationNumber: 'T1234567890123' },
    recipientName: `株式会社サンプル${customer}`,
    lines: [{ description: 'Microsoft 365 E3 年間契約', quantity: 10, unitPrice: subtotal / 10, amount: subtotal, taxRate: 10 }],
    subtotal,
    taxes: [{ rate: 10, taxableAmount: subtotal, tax: subtotal / 10 }],
    tax: subtotal / 10,
    total: subtotal * 1.1,
    createdAt: `${month}-01T00:00:00.000Z`,
  };
}

/** 顧客一覧's row: customer i, as order's customers projection writes it. */
function customerRow(i: number): Row {
  return {
    id: `cust-${pad(i, 5)}`,
    resellerId: `reseller-${i % 20}`,
    companyName: `株式会社サンプル${i}`,
    companyNameKana: `カブシキガイシャサンプル${i}`,
    siteName: i % 4 ? '本社' : `支店${i % 7}`,
    contactName: `担当 ${i}`,
    email: `customer${i}@example.co.jp`,
    phone: `03-${pad(i % 10_000, 4)}-${pad(mix(i, 11) % 10_000, 4)}`,
    registeredAt: new Date(Date.UTC(2024, 0, 1) + i * 3_600_000).toISOString(),
  };
}

/** One screen: its rows, its projection and collection, and the pages its users ask. */
interface Screen {
  name: string;
  rows: number;
  row: (i: number) => Row;
  projection: Projection;
  collection: string;
  /** Each page as the screen's service asks it of a read store. */
  pages: Record<string, (store: ReadStore) => Promise<Page<Row>>>;
}

const page = (n = 1) => ({ page: n, pageSize: PAGE_SIZE });

/** The pages a screen served by VisibleResource.listFor asks, as its service asks them. */
function listed<Q extends DatedListQuery>(projection: Projection, collection: string, options: ListOptions<Q>) {
  return (user: AuthenticatedUser, query: Partial<Q> & Partial<Query>) => (store: ReadStore) =>
    new VisibleResource<Row>({ store: { readStream: async () => [] }, readStore: store, collection, projection, streamId: (id) => id, notFound: () => new Error('not found') }).listFor(
      user,
      { ...page(), ...query } as unknown as Q,
      options,
    );
}

function screens(): Screen[] {
  const recent = orderRow(ROWS - 5);
  // A recent subscription the vendor knows (it has a vendor id).
  let activeSubscription = ROWS - 1;
  while (subscriptionRow(activeSubscription).vendorSubscriptionId === null) activeSubscription--;
  const contracts = listed(contractScreensProjection, CONTRACT.contracts, CONTRACT_LIST);
  const subscriptions = listed(subscriptionsProjection, PROVISIONING.subscriptions, SUBSCRIPTION_LIST);
  const changes = listed(contractChangesProjection, CONTRACT.changes, CONTRACT_CHANGE_LIST);
  const customers = listed(orderScreensProjection, ORDER.customers, CUSTOMER_LIST);
  const invoices = (user: AuthenticatedUser, query: Partial<InvoiceQuery>) => (store: ReadStore) =>
    store.collection<Row>(BILLING.invoices).find(invoiceList({ ...page(), ...query }, user));
  const changeRows = Math.ceil(ROWS / 10);
  const recentChange = changeRow(changeRows - 3);
  const lastMonth = String(invoiceRow(Math.min(ROWS, CUSTOMERS * MONTHS) - 1).month);
  const month = String(recent.orderDate).slice(0, 7);
  return [
    {
      name: 'contracts',
      rows: ROWS,
      row: contractRow,
      projection: contractScreensProjection,
      collection: CONTRACT.contracts,
      pages: {
        'p1 (all)': contracts(distributor, {}),
        'p1 (reseller)': contracts(resellerUser, {}),
        'p50 (all)': contracts(distributor, page(50)),
        'status=CANCELLED p1 (all)': contracts(distributor, { status: 'CANCELLED' }),
        'status=PENDING p1 (reseller)': contracts(resellerUser, { status: 'PENDING' }),
        'customer (all)': contracts(distributor, { customerId: recent.customerId }),
        'status+customer (all)': contracts(distributor, { status: 'ACTIVE', customerId: recent.customerId }),
        'one month p1 (all)': contracts(distributor, { from: `${month}-01`, to: `${month}-28` }),
        'q=Azure p1 (all)': contracts(distributor, { q: 'Azure' }),
        'q=Azure p50 (all)': contracts(distributor, { q: 'Azure', ...page(50) }),
        'q=azure p1 (reseller)': contracts(resellerUser, { q: 'azure' }),
        [`q=${recent.orderNumber.slice(0, -2)} p1 (all)`]: contracts(distributor, { q: recent.orderNumber.slice(0, -2) }),
      },
    },
    {
      name: 'subscriptions',
      rows: ROWS,
      row: subscriptionRow,
      projection: subscriptionsProjection,
      collection: PROVISIONING.subscriptions,
      pages: {
        'p1 (all)': subscriptions(distributor, {}),
        'p1 (reseller)': subscriptions(resellerUser, {}),
        'p50 (all)': subscriptions(distributor, page(50)),
        'status=FAILED p1 (all)': subscriptions(distributor, { status: 'FAILED' }),
        'status=PROVISIONING p1 (reseller)': subscriptions(resellerUser, { status: 'PROVISIONING' }),
        'customer (all)': subscriptions(distributor, { customerId: recent.customerId }),
        'order (all)': subscriptions(distributor, { orderId: recent.id }),
        'q=Azure p1 (all)': subscriptions(distributor, { q: 'Azure' }),
        'q=Azure p50 (all)': subscriptions(distributor, { q: 'Azure', ...page(50) }),
        'q=MS-M365-BB p1 (reseller)': subscriptions(resellerUser, { q: 'MS-M365-BB' }),
        'q=<vendor id, 8 characters> p1 (all)': subscriptions(distributor, { q: vendorSubscriptionId(activeSubscription).slice(0, 8) }),
      },
    },
    {
      name: 'changes',
      rows: changeRows,
      row: changeRow,
      projection: contractChangesProjection,
      collection: CONTRACT.changes,
      pages: {
        'p1 (all)': changes(distributor, {}),
        'p1 (reseller)': changes(resellerUser, {}),
        'p50 (all)': changes(distributor, page(50)),
        'type=RENEWAL p1 (all)': changes(distributor, { type: 'RENEWAL' }),
        'status=APPLIED p1 (reseller)': changes(resellerUser, { status: 'APPLIED' }),
        'contract (all)': changes(distributor, { contractId: String(recentChange.contractId) }),
        'customer (all)': changes(distributor, { customerId: String(recentChange.customerId) }),
        'type+status (all)': changes(distributor, { type: 'CANCELLATION', status: 'ACCEPTED' }),
        'one month p1 (all)': changes(distributor, { from: `${month}-01`, to: `${month}-28` }),
        'q=Azure p1 (all)': changes(distributor, { q: 'Azure' }),
        'q=Azure p50 (all)': changes(distributor, { q: 'Azure', ...page(50) }),
      },
    },
    {
      name: 'invoices',
      rows: Math.min(ROWS, CUSTOMERS * MONTHS),
      row: invoiceRow,
      projection: invoicesProjection,
      collection: BILLING.invoices,
      pages: {
        'p1 (all)': invoices(distributor, {}),
        'p1 (reseller)': invoices(resellerUser, {}),
        'p50 (all)': invoices(distributor, page(50)),
        'month p1 (all)': invoices(distributor, { month: lastMonth }),
        'kind=CREDIT_NOTE p1 (all)': invoices(distributor, { kind: 'CREDIT_NOTE' }),
        'customer (all)': invoices(distributor, { customerId: recent.customerId }),
        'customer+month (reseller)': invoices(resellerUser, { customerId: 'cust-00003', month: lastMonth }),
        'q=サンプル123 p1 (all)': invoices(distributor, { q: 'サンプル123' }),
        [`q=INV${lastMonth.replace('-', '')} p50 (all)`]: invoices(distributor, { q: `INV${lastMonth.replace('-', '')}`, ...page(50) }),
      },
    },
    {
      name: 'customers',
      rows: CUSTOMERS,
      row: customerRow,
      projection: orderScreensProjection,
      collection: ORDER.customers,
      pages: {
        'p1 (all)': customers(distributor, {}),
        'p1 (reseller)': customers(resellerUser, {}),
        'p50 (all)': customers(distributor, page(50)),
        'q=サンプル12 p1 (all)': customers(distributor, { q: 'サンプル12' }),
      },
    },
  ];
}

/** What the screens bench prints (one JSON line). */
export interface ScreensBenchResult {
  screens: Record<string, { rows: number; fillSeconds: number; fileMb: number; pages: Record<string, FindTiming> }>;
}

async function runScreen(screen: Screen, log: (line: string) => void): Promise<ScreensBenchResult['screens'][string]> {
  const dir = mkdtempSync(join(tmpdir(), `lp-screens-bench-${screen.name}-`));
  const filename = KEPT_DIR ? join(KEPT_DIR, `${screen.name}.sqlite`) : join(dir, 'read-models.sqlite');
  try {
    const store = SqliteReadStore.open({ filename });
    const started = Date.now();
    const rows = store.collection<Row>(screen.collection);
    const filled = KEPT_DIR !== undefined && (await rows.get(screen.row(screen.rows - 1).id)) !== undefined;
    await fillRows(rows, filled ? 0 : screen.rows, screen.row, (row) => `${screen.name}-${row.id}`);
    await store.flush();
    // As a first fill: what the projection declares is made once the rows are there.
    await ensureProjectionIndexes(screen.projection, store);
    const fillSeconds = (Date.now() - started) / 1000;
    log(`screens bench: ${screen.name}: ${screen.rows} rows ${filled ? 'there already, indexed' : 'filled and indexed'} in ${fillSeconds.toFixed(1)} s`);
    const pages: Record<string, FindTiming> = {};
    for (const [name, ask] of Object.entries(screen.pages)) pages[name] = await timeFinds(`screens bench: ${screen.name} ${name}`, () => ask(store), RUNS, log);
    await store.close();
    return { rows: screen.rows, fillSeconds, fileMb: Math.round(statSync(filename).size / 1024 / 1024), pages };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export async function runScreensBench(log: (line: string) => void): Promise<ScreensBenchResult> {
  const picked = process.env.BENCH_SCREENS?.split(',').map((name) => name.trim());
  const result: ScreensBenchResult = { screens: {} };
  for (const screen of screens()) {
    if (picked && !picked.includes(screen.name)) continue;
    result.screens[screen.name] = await runScreen(screen, log);
  }
  return result;
}

if (require.main === module) printBenchScriptResult(runScreensBench);
