/**
 * `npm run -s build && node dist/bench/billing-bench.js` — one billing run (請求処理) at scale:
 * BENCH_BILLING_LINES (100,000) confirmed contract lines across customers of 10–50 lines each,
 * with the catalog's billing policies mixed (CSP monthly, NCE, StreamOne monthly and annual, Azure
 * usage, on-premises software of which some are refunded), then `POST /billing/runs` for
 * BENCH_BILLING_MONTH (2026-07) as the billing service answers it, timed, and the same month again
 * (it must issue nothing).
 *
 * The lines are set up as the contract-events process manager writes them (StartLineBilling,
 * ChangeLineQuantity, CancelLine through the line decider's command handler on `billingLine-<id>`
 * streams) and the usage import its RecordUsage, not over HTTP; the customers' names are put in the known-customers
 * read model as its order.events projection would. The run goes through the billing service with a
 * whole service runtime around it (projections, forwarder onto an in-process bus), on SQLite files
 * with SQLITE_SYNCHRONOUS (default FULL, as the product runs).
 *
 * Checks what it measures: the run issues exactly the charges the pure domain computes for the
 * month, each once. Prints a few lines through `log` and, run alone, one JSON line of results.
 * `node --expose-gc` makes the RSS before the run that of the data, without the set-up's garbage.
 */
import { randomUUID } from 'crypto';
import { mkdtempSync, rmSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { CommandContext, CommandHandler } from '@lp/eventsourcing';
import { SqliteEventStore } from '@lp/eventsourcing/sqlite';
import { InProcessEventBus } from '@lp/messaging/in-process';
import { InMemoryReadStore } from '@lp/read-models';
import { ServiceRuntime } from '@lp/runtime';
import { billingServiceDefinition } from '../services/billing/src/billing.module';
import { BillingService } from '../services/billing/src/application/billing.service';
import { BillableLine, BillingLineCommand, billingLineDecider, billingLineStreamId, LineContract } from '../services/billing/src/domain/billing-line.decider';
import { chargesForMonth, creditsForMonth } from '../services/billing/src/domain/schedule';
import { BillingLineView, COLLECTIONS, InvoiceView, KnownCustomerView } from '../services/billing/src/projections/views';

const LINES = Number(process.env.BENCH_BILLING_LINES ?? 100_000);
const MONTH = process.env.BENCH_BILLING_MONTH ?? '2026-07';
const SYNCHRONOUS = (process.env.SQLITE_SYNCHRONOUS ?? 'FULL').toUpperCase() as 'FULL' | 'NORMAL';
/** Set-up commands in flight at once (the store commits those of one turn together). */
const SETUP_BATCH = 500;
const ISSUER = { name: 'ライセンス・ディストリビューション株式会社', registrationNumber: 'T1234567890123' };
const RESELLERS = ['r-direct', 'r-indirect-1', 'r-indirect-2'];

export interface BillingBenchResult {
  lines: number;
  customers: number;
  synchronous: string;
  setupSeconds: number;
  run: { seconds: number; linesPerSecond: number; invoices: number; creditNotes: number; charges: number; skipped: number; rssBeforeMb: number; peakRssMb: number };
  rerun: { seconds: number; invoices: number; creditNotes: number };
}

/** A deterministic pseudo-random sequence, so every run of the bench bills the same lines. */
function seeded(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state * 1664525 + 1013904223) >>> 0;
    return state / 2 ** 32;
  };
}

const pad = (n: number, width = 2) => String(n).padStart(width, '0');
const day = (month: number, dayOfMonth: number) => `2026-${pad(month)}-${pad(dayOfMonth)}`;

/** The commands the process manager would send for one confirmed line of a product of each policy. */
function lineCommands(random: () => number, contract: LineContract, base: Pick<BillableLine, 'contractId' | 'lineId' | 'customerId' | 'resellerId'>): BillingLineCommand[] {
  const quantity = 1 + Math.floor(random() * 20);
  const pick = random();
  const start = (line: Omit<BillableLine, keyof typeof base | 'quantity'> & { quantity?: number }): BillingLineCommand => ({ type: 'StartLineBilling', contract, line: { ...base, quantity, ...line } });
  if (pick < 0.4) {
    // CP-Web monthly, started some time this half year; one in ten reduced or added to since.
    const startDate = day(1 + Math.floor(random() * 6), 1 + Math.floor(random() * 28));
    const commands = [start({ sku: 'MS-O365-E1', productName: 'Office 365 E1', unitPrice: 870, billingPolicy: 'microsoft-csp-monthly', placedOn: startDate, startDate })];
    if (random() < 0.1) {
      const effectiveOn = day(6, 1 + Math.floor(random() * 28));
      commands.push({ type: 'ChangeLineQuantity', change: { changeId: randomUUID(), kind: random() < 0.5 ? 'ADD' : 'REDUCE', requestedOn: effectiveOn, effectiveOn, newQuantity: 1 + Math.floor(random() * 20) } });
    }
    return commands;
  }
  if (pick < 0.6) {
    const startDate = day(1 + Math.floor(random() * 6), 1 + Math.floor(random() * 28));
    return [start({ sku: 'MS-M365-BP-NCE-M', productName: 'Microsoft 365 Business Premium (NCE, 月間契約)', unitPrice: 2750, billingPolicy: 'microsoft-nce', placedOn: startDate, startDate })];
  }
  if (pick < 0.8) {
    const placedOn = day(1 + Math.floor(random() * 5), 1 + Math.floor(random() * 28));
    return [start({ sku: 'SN-POCKETALK-CC-M', productName: 'ポケトーク (月額)', unitPrice: 1100, billingPolicy: 'stellr-cutoff', placedOn, startDate: placedOn })];
  }
  if (pick < 0.85) {
    const placedOn = day(5 + Math.floor(random() * 2), 1 + Math.floor(random() * 28));
    return [start({ sku: 'SN-POCKETALK-SI-Y', productName: 'ポケトーク (年額)', unitPrice: 12000, billingPolicy: 'stellr-cutoff', placedOn, startDate: placedOn, term: 'annual' })];
  }
  if (pick < 0.95) {
    // Azure plan: June's imported usage is charged on July's invoice.
    const startDate = day(1 + Math.floor(random() * 5), 1 + Math.floor(random() * 28));
    return [
      start({ sku: 'MS-AZURE-PLAN', productName: 'Azure プラン', unitPrice: 0, billingPolicy: 'microsoft-csp-usage', placedOn: startDate, startDate, quantity: 1 }),
      { type: 'RecordUsage', usage: { usageId: randomUUID(), lineId: base.lineId, month: '2026-06', amount: 1000 + Math.floor(random() * 50_000), description: 'Azure 利用料 2026年6月' } },
    ];
  }
  // On-premises software bought in June, one in five returned within its 30-day window (a credit note in July).
  const startDate = day(6, 1 + Math.floor(random() * 20));
  const commands = [start({ sku: 'MS-WINSVR-STD', productName: 'Windows Server Standard', unitPrice: 120_000, billingPolicy: 'onprem-software', placedOn: startDate, startDate, refundWindowDays: 30 })];
  if (random() < 0.2) commands.push({ type: 'CancelLine', cancellation: { changeId: randomUUID(), requestedOn: '2026-06-25', endDate: '2026-06-25', cancelledOn: '2026-06-25' } });
  return commands;
}

/** Customers of 10–50 lines in contracts of up to 5 lines, until `LINES` lines; their names in the read model. */
async function setUp(runtime: ServiceRuntime, readStore: InMemoryReadStore): Promise<number> {
  const random = seeded(17);
  const handler = new CommandHandler(runtime.eventStore, billingLineDecider);
  const context: CommandContext = { actor: { id: 'billing.contract-events' }, correlationId: randomUUID(), causationId: randomUUID(), now: new Date('2026-06-30T00:00:00Z') };
  const customers = readStore.collection<KnownCustomerView>(COLLECTIONS.customers);
  let pending: Promise<unknown>[] = [];
  let lines = 0;
  let customerCount = 0;
  let contractCount = 0;
  while (lines < LINES) {
    const customerId = randomUUID();
    const resellerId = RESELLERS[customerCount % RESELLERS.length];
    customerCount++;
    await customers.apply(customerId, { streamId: `customer-${customerId}`, revision: 0 }, () => ({ id: customerId, resellerId, companyName: `ベンチ顧客${customerCount}株式会社` }));
    const count = Math.min(LINES - lines, 10 + Math.floor(random() * 41));
    for (let n = 0; n < count; n++) {
      if (n % 5 === 0) contractCount++;
      const contract: LineContract = { contractNumber: `NCN202606-${pad(contractCount, 10)}`, orderNumber: `NOD202606-${pad(contractCount, 10)}`, ...(n % 10 === 0 ? { purchaseOrderNumber: `PO-${contractCount}` } : {}) };
      const lineId = randomUUID();
      const commands = lineCommands(random, contract, { contractId: `k-${contractCount}`, lineId, customerId, resellerId });
      // One line's commands in order (its stream), lines side by side.
      pending.push(
        commands.reduce<Promise<unknown>>(
          (previous, command) => previous.then(() => handler.handle(billingLineStreamId(lineId), command, context)),
          Promise.resolve(),
        ),
      );
      if (pending.length >= SETUP_BATCH) {
        await Promise.all(pending);
        pending = [];
      }
    }
    lines += count;
  }
  await Promise.all(pending);
  return customerCount;
}

/** What the pure domain says the month charges and credits (amount ≠ 0), to hold the run to. */
async function expectedCharges(readStore: InMemoryReadStore): Promise<{ charges: Set<string>; credits: Set<string> }> {
  const { items } = await readStore.collection<BillingLineView>(COLLECTIONS.lines).find({});
  const charges = new Set<string>();
  const credits = new Set<string>();
  for (const row of items) {
    for (const charge of chargesForMonth(row.line, MONTH, row.usage)) if (charge.amount > 0) charges.add(charge.chargeId);
    for (const credit of creditsForMonth(row.line, MONTH)) credits.add(credit.chargeId);
  }
  return { charges, credits };
}

/** BENCH_BILLING_MARKS=1: the monotonic clock in µs, as a --cpu-prof profile counts it, to cut the run out of a profile. */
const mark = (what: string) => process.env.BENCH_BILLING_MARKS && process.stderr.write(`mark ${what} ${process.hrtime.bigint() / 1000n}\n`);

const mb = (bytes: number) => Math.round(bytes / 1024 / 1024);
const seconds = (ms: number) => Math.round(ms / 10) / 100;

export async function runBillingBench(log: (line: string) => void): Promise<BillingBenchResult> {
  const dir = mkdtempSync(join(tmpdir(), 'lp-billing-bench-'));
  const eventStore = new SqliteEventStore({ filename: join(dir, 'billing.sqlite'), synchronous: SYNCHRONOUS });
  const bus = new InProcessEventBus({ filename: join(dir, 'bus.sqlite'), synchronous: SYNCHRONOUS });
  const readStore = new InMemoryReadStore();
  const runtime = new ServiceRuntime(billingServiceDefinition, { eventStore, forwarderCheckpoints: eventStore.checkpoints(), readStore, bus, consumerGroupSuffix: randomUUID() });
  try {
    log(`billing: setting up ${LINES} contract lines (SQLITE_SYNCHRONOUS=${SYNCHRONOUS})`);
    const setupStarted = performance.now();
    await runtime.start();
    const customers = await setUp(runtime, readStore);
    await runtime.caughtUp();
    const setupMs = performance.now() - setupStarted;
    const expected = await expectedCharges(readStore);
    log(`billing: ${LINES} lines of ${customers} customers ready in ${seconds(setupMs)} s; ${expected.charges.size} charges and ${expected.credits.size} credits due for ${MONTH}`);

    const service = new BillingService(eventStore, readStore, runtime, { issuer: ISSUER });
    const context = (): CommandContext => ({ actor: { id: 'bench' }, correlationId: randomUUID(), causationId: randomUUID(), now: new Date(`${MONTH}-01T00:00:00Z`) });
    // Before the run: mostly the 100k lines' read model, which the product holds the same way
    // (run with --expose-gc, the set-up's garbage is collected first).
    (globalThis as { gc?: () => void }).gc?.();
    const rssBefore = process.memoryUsage().rss;
    let peakRss = rssBefore;
    const sampler = setInterval(() => (peakRss = Math.max(peakRss, process.memoryUsage().rss)), 50);
    const runStarted = performance.now();
    mark('run started');
    const result = await service.run(MONTH, context());
    const runMs = performance.now() - runStarted;
    mark('run ended');
    clearInterval(sampler);
    peakRss = Math.max(peakRss, process.memoryUsage().rss);

    const rerunStarted = performance.now();
    const rerun = await service.run(MONTH, context());
    const rerunMs = performance.now() - rerunStarted;

    await runtime.caughtUp();
    const { items: documents } = await readStore.collection<InvoiceView>(COLLECTIONS.invoices).find({ filter: { month: MONTH } });
    const charged = documents.filter((document) => document.kind === 'INVOICE').flatMap((document) => document.lines.map((line) => line.chargeId));
    const credited = documents.filter((document) => document.kind === 'CREDIT_NOTE').flatMap((document) => document.lines.map((line) => line.chargeId));
    const problems = [
      ...(charged.length !== new Set(charged).size ? [`${charged.length - new Set(charged).size} charges on two invoices`] : []),
      ...(charged.length !== expected.charges.size || charged.some((id) => !expected.charges.has(id)) ? [`invoiced ${charged.length} charges, the domain says ${expected.charges.size}`] : []),
      ...(credited.length !== expected.credits.size || credited.some((id) => !expected.credits.has(id)) ? [`credited ${credited.length}, the domain says ${expected.credits.size}`] : []),
      ...(rerun.invoices.length || rerun.creditNotes.length ? [`the second run issued ${rerun.invoices.length} invoices and ${rerun.creditNotes.length} credit notes`] : []),
      ...(result.skipped.length ? [`${result.skipped.length} customers skipped`] : []),
    ];
    if (problems.length) throw new Error(`billing run went wrong: ${problems.join('; ')}`);

    const benchResult: BillingBenchResult = {
      lines: LINES,
      customers,
      synchronous: SYNCHRONOUS,
      setupSeconds: seconds(setupMs),
      run: {
        seconds: seconds(runMs),
        linesPerSecond: Math.round(LINES / (runMs / 1000)),
        invoices: result.invoices.length,
        creditNotes: result.creditNotes.length,
        charges: charged.length,
        skipped: result.skipped.length,
        rssBeforeMb: mb(rssBefore),
        peakRssMb: mb(peakRss),
      },
      rerun: { seconds: seconds(rerunMs), invoices: rerun.invoices.length, creditNotes: rerun.creditNotes.length },
    };
    const { run } = benchResult;
    log(`billing: run of ${MONTH} over ${LINES} lines: ${run.seconds} s (${run.linesPerSecond} lines/s), ${run.invoices} invoices, ${run.creditNotes} credit notes, ${run.charges} charges, RSS ${run.rssBeforeMb} MB before, peak ${run.peakRssMb} MB; again: ${benchResult.rerun.seconds} s, nothing issued`);
    return benchResult;
  } finally {
    await runtime.stop();
    await bus.close();
    await eventStore.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

if (require.main === module) {
  runBillingBench((line) => process.stderr.write(`${line}\n`))
    .then((result) => process.stdout.write(`${JSON.stringify(result)}\n`))
    .catch((error: unknown) => {
      process.stderr.write(`billing bench could not run: ${error instanceof Error ? error.stack : String(error)}\n`);
      process.exitCode = 1;
    });
}
