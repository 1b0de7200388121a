import { execSync, spawn, spawnSync } from 'child_process';
import { mkdtempSync, readFileSync, rmSync } from 'fs';
import { Server } from 'http';
import { AddressInfo } from 'net';
import { tmpdir } from 'os';
import { join } from 'path';
import { startDistributedServices } from './support/distributed-services';
import { describeWithInfrastructure } from './support/infrastructure';
import { freePort, ServiceProcess } from './support/service-process';

const ROOT = join(__dirname, '..');

/** deploy/local/gateway.js, the distributed mode's one base URL without Docker. */
const gateway: { startGateway(options: { port: number; upstreams: Record<string, string> }): Promise<Server> } = require(join(ROOT, 'deploy', 'local', 'gateway.js'));

/** The README's walk-through as a reader pastes it: every bash block of its section, in order. */
function walkThroughScript(readme: string): string {
  const start = readme.indexOf('\n## Walk-through');
  if (start < 0) throw new Error('README.md has no "## Walk-through" section');
  const rest = readme.slice(start + 1);
  const next = rest.indexOf('\n## ', 1);
  const section = next < 0 ? rest : rest.slice(0, next);
  return [...section.matchAll(/```bash\n([\s\S]*?)```/g)].map((block) => block[1]).join('\n');
}

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs `script` with bash as CI would paste it: any failing command stops it. */
function runBash(script: string, api: string): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn('bash', ['-c', `set -euo pipefail\n${script}`], { cwd: ROOT, env: { ...process.env, API: api }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk) => (stdout += chunk));
    child.stderr.on('data', (chunk) => (stderr += chunk));
    child.once('error', reject);
    child.once('close', (code) => resolve({ code, stdout, stderr }));
  });
}

/** Runs the walk-through against deploy/local/gateway.js in front of `upstreams`, the way a reader does with `API` set to it. */
async function runThroughGateway(script: string, upstreams: Record<string, string>): Promise<Run> {
  const proxy = await gateway.startGateway({ port: 0, upstreams });
  try {
    return await runBash(script, `http://127.0.0.1:${(proxy.address() as AddressInfo).port}`);
  } finally {
    proxy.closeAllConnections();
    await new Promise((resolve) => proxy.close(resolve));
  }
}

/** Exit code 0, or a failure that shows where the walk-through stopped and why (its stderr and last output). */
function expectSucceeded(run: Run): void {
  if (run.code === 0) return;
  const tail = run.stdout.split('\n').slice(-30).join('\n');
  throw new Error(`the walk-through stopped with exit code ${run.code}\n--- stderr\n${run.stderr}\n--- last lines of stdout\n${tail}`);
}

/** What a reader sees when every step worked: the MCA, 発注, the subscription, 契約中, both changes 変更済, the invoice. */
function expectEveryStepDone(stdout: string): void {
  expect(stdout).toContain('"ACCEPTED"'); // the MCA
  expect(stdout).toMatch(/"orderNumber": "NOD\d{6}-\d{10}",\s+"status": "PLACED"/);
  expect(stdout).toMatch(/"status": "ACTIVE",\s+"statusLabel": "アクティベーション済"/);
  expect(stdout).toMatch(/"contractNumber": "NCN\d{6}-\d{10}",\s+"status": "ACTIVE",\s+"statusLabel": "契約中",\s+"billing": true/);
  expect(stdout).toMatch(/"typeLabel": "解約",\s+"statusLabel": "変更済"/);
  expect(stdout).toMatch(/"typeLabel": "追加",\s+"statusLabel": "変更済"/);
  expect(stdout).toMatch(/"invoiceNumber": "INV\d{6}-\d{10}",\s+"periodLabel": "\d{4}年\d{1,2}月分"/);
}

const invoiceNumbers = (output: string) => [...new Set(output.match(/INV\d{6}-\d{10}/g))];

/** A second run makes its own customer, so it shows one invoice, not the first run's. */
function expectARunOfItsOwn(stdout: string, firstStdout: string): void {
  expect(invoiceNumbers(stdout)).toHaveLength(1);
  expect(invoiceNumbers(stdout)).not.toEqual(invoiceNumbers(firstStdout));
  expect(stdout).toMatch(/"statusLabel": "契約中",\s+"billing": true/);
}

let built = false;
function buildOnce(): void {
  if (!built) execSync('npm run -s build', { cwd: ROOT, stdio: 'inherit' });
  built = true;
}

const missing = ['jq', 'curl'].filter((command) => spawnSync('bash', ['-c', `command -v ${command}`]).status !== 0);
const describeWithTools = missing.length === 0 ? describe : describe.skip;
if (missing.length > 0) {
  // eslint-disable-next-line no-console
  console.warn(`README walk-through: skipped, ${missing.join(' and ')} not installed (the walk-through needs curl and jq)`);
}

describeWithTools('README walk-through (steps 1–14) pasted whole into bash against npm start', () => {
  const script = walkThroughScript(readFileSync(join(ROOT, 'README.md'), 'utf8'));
  const dataDir = mkdtempSync(join(tmpdir(), 'lp-readme-'));
  let server: ServiceProcess;
  const runs: Run[] = [];

  beforeAll(async () => {
    buildOnce();
    server = new ServiceProcess('embedded', await freePort(), { DATA_DIR: dataDir });
    await server.start();
  }, 120_000);

  afterAll(async () => {
    await server?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('holds every step, 1 to 14', () => {
    for (let step = 1; step <= 14; step++) expect(script).toMatch(new RegExp(`^# ${step}\\. `, 'm'));
  });

  it('runs through: a customer to 契約中, a cancellation and an add to 変更済, a month billed with an invoice', async () => {
    const run = await runBash(script, server.baseUrl);
    runs.push(run);
    expectSucceeded(run);
    expectEveryStepDone(run.stdout);
  }, 120_000);

  it('runs through again against the same server, with a customer, tenant, order and invoice of its own', async () => {
    const run = await runBash(script, server.baseUrl);
    expectSucceeded(run);
    expectARunOfItsOwn(run.stdout, runs[0]?.stdout ?? '');
  }, 120_000);

  it('runs through deploy/local/gateway.js as well: one base URL in front of the services', async () => {
    // Every upstream is the embedded server, which serves every path: this proves the proxying (methods,
    // bodies, headers, query strings, refusals); e2e/local-gateway.spec.ts proves the routes.
    const upstreams = { order: server.baseUrl, provisioning: server.baseUrl, contract: server.baseUrl, billing: server.baseUrl };
    const run = await runThroughGateway(script, upstreams);
    expectSucceeded(run);
    expect(run.stdout).toMatch(/"invoiceNumber": "INV\d{6}-\d{10}"/);
  }, 120_000);

  it('stops at a step whose answer has no id instead of going on with null', async () => {
    const helpers = script.slice(0, script.indexOf('\n# 1. '));
    const run = await runBash(`${helpers}\nCUSTOMER=$(echo '{"id": null}' | need .id)\necho "went on with $CUSTOMER"`, server.baseUrl);
    expect(run.code).not.toBe(0);
    expect(run.stderr).toContain('no .id in: {"id": null}');
    expect(run.stdout).not.toContain('went on');
  }, 60_000);
});

(missing.length === 0 ? describeWithInfrastructure : describe.skip)(
  'README walk-through pasted whole into bash, twice, through deploy/local/gateway.js in front of the four service processes (Kafka, Mongo)',
  () => {
    const script = walkThroughScript(readFileSync(join(ROOT, 'README.md'), 'utf8'));
    const dataDir = mkdtempSync(join(tmpdir(), 'lp-readme-distributed-'));
    let upstreams: Record<string, string>;
    let stopServices = async () => {};
    const runs: Run[] = [];

    beforeAll(async () => {
      buildOnce();
      const services = await startDistributedServices(dataDir);
      stopServices = () => Promise.all(Object.values(services).map((service) => service.stop())).then(() => undefined);
      upstreams = Object.fromEntries(Object.entries(services).map(([name, service]) => [name, service.baseUrl]));
    }, 90_000);

    afterAll(async () => {
      await stopServices();
      rmSync(dataDir, { recursive: true, force: true });
    }, 30_000);

    it('runs through: what crosses services (tenant, placement, subscriptions, contract, billing) reaches each over Kafka in time', async () => {
      const run = await runThroughGateway(script, upstreams);
      runs.push(run);
      expectSucceeded(run);
      expectEveryStepDone(run.stdout);
    }, 60_000);

    it('runs through again against the same services, with an invoice of its own', async () => {
      const run = await runThroughGateway(script, upstreams);
      expectSucceeded(run);
      expectARunOfItsOwn(run.stdout, runs[0]?.stdout ?? '');
    }, 60_000);
  },
);
