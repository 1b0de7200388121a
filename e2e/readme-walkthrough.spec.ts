import { execSync, spawn, spawnSync } from 'child_process';
import { mkdtempSync, readFileSync, rmSync } from 'fs';
import { Server } from 'http';
import { AddressInfo } from 'net';
import { tmpdir } from 'os';
import { join } from 'path';
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
    execSync('npm run -s build', { cwd: ROOT, stdio: 'inherit' });
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
    expect(run).toMatchObject({ code: 0 });
    expect(run.stdout).toContain('"ACCEPTED"'); // the MCA
    expect(run.stdout).toMatch(/"orderNumber": "NOD\d{6}-\d{10}",\s+"status": "PLACED"/);
    expect(run.stdout).toMatch(/"status": "ACTIVE",\s+"statusLabel": "アクティベーション済"/);
    expect(run.stdout).toMatch(/"contractNumber": "NCN\d{6}-\d{10}",\s+"status": "ACTIVE",\s+"statusLabel": "契約中",\s+"billing": true/);
    expect(run.stdout).toMatch(/"typeLabel": "解約",\s+"statusLabel": "変更済"/);
    expect(run.stdout).toMatch(/"typeLabel": "追加",\s+"statusLabel": "変更済"/);
    expect(run.stdout).toMatch(/"invoiceNumber": "INV\d{6}-\d{10}",\s+"periodLabel": "\d{4}年\d{1,2}月分"/);
  }, 120_000);

  it('runs through again against the same server, with a customer, tenant, order and invoice of its own', async () => {
    const run = await runBash(script, server.baseUrl);
    expect(run).toMatchObject({ code: 0 });
    const invoiceNumbers = (output: string) => [...new Set(output.match(/INV\d{6}-\d{10}/g))];
    expect(invoiceNumbers(run.stdout)).toHaveLength(1);
    expect(invoiceNumbers(run.stdout)).not.toEqual(invoiceNumbers(runs[0]?.stdout ?? ''));
    expect(run.stdout).toMatch(/"statusLabel": "契約中",\s+"billing": true/);
  }, 120_000);

  it('runs through deploy/local/gateway.js as well: one base URL in front of the services', async () => {
    // Every upstream is the embedded server, which serves every path: this proves the proxying (methods,
    // bodies, headers, query strings, refusals); e2e/local-gateway.spec.ts proves the routes.
    const upstreams = { order: server.baseUrl, provisioning: server.baseUrl, contract: server.baseUrl, billing: server.baseUrl };
    const proxy = await gateway.startGateway({ port: 0, upstreams });
    try {
      const run = await runBash(script, `http://127.0.0.1:${(proxy.address() as AddressInfo).port}`);
      expect(run).toMatchObject({ code: 0 });
      expect(run.stdout).toMatch(/"invoiceNumber": "INV\d{6}-\d{10}"/);
    } finally {
      proxy.closeAllConnections();
      await new Promise((resolve) => proxy.close(resolve));
    }
  }, 120_000);

  it('stops at a step whose answer has no id instead of going on with null', async () => {
    const helpers = script.slice(0, script.indexOf('\n# 1. '));
    const run = await runBash(`${helpers}\nCUSTOMER=$(echo '{"id": null}' | need .id)\necho "went on with $CUSTOMER"`, server.baseUrl);
    expect(run.code).not.toBe(0);
    expect(run.stderr).toContain('no .id in: {"id": null}');
    expect(run.stdout).not.toContain('went on');
  }, 60_000);
});
