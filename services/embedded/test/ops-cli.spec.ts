import { execFile } from 'child_process';
import { AddressInfo } from 'net';
import { join } from 'path';
import { promisify } from 'util';
import { asDistributor, Harness, readyCustomer } from './support/harness';

const run = promisify(execFile);
const ROOT = join(__dirname, '../../..');

/**
 * `npm run -s ops -- …` (tools/ops-cli) spawned against the embedded app listening on a real port:
 * what an operator types, its output and its exit codes.
 */
describe('ops CLI', () => {
  let h: Harness;
  let url: string;

  beforeAll(async () => {
    h = await new Harness().start();
    await h.embedded.app.listen(0, '127.0.0.1');
    url = `http://127.0.0.1:${(h.embedded.app.getHttpServer().address() as AddressInfo).port}`;
  });
  afterAll(() => h.stop());

  async function ops(args: string[], token: string | null = asDistributor) {
    try {
      const { stdout, stderr } = await run('npm', ['run', '-s', 'ops', '--', '--url', url, ...args], {
        cwd: ROOT,
        env: { ...process.env, OPS_TOKEN: token ?? '' },
      });
      return { code: 0, stdout, stderr };
    } catch (error) {
      const failed = error as { code: number; stdout: string; stderr: string };
      return { code: failed.code, stdout: failed.stdout, stderr: failed.stderr };
    }
  }

  it('lists projections as a table and as JSON', async () => {
    const listed = await ops(['projections']);
    expect(listed.code).toBe(0);
    const [header, ...rows] = listed.stdout.trim().split('\n');
    expect(header.split(/\s+/)).toEqual(['service', 'name', 'state', 'version', 'checkpoint', 'lag', 'progress', 'lastError']);
    expect(rows.some((row) => /^order\s+order-screens\s+running\s+\d+\s+\d+\s+0/.test(row))).toBe(true);

    const asJson = await ops(['--json', 'projections']);
    expect(JSON.parse(asJson.stdout)).toEqual(expect.arrayContaining([expect.objectContaining({ name: 'tenants', state: 'running' })]));
  });

  it('rebuilds a projection, following its progress until the new version is live', async () => {
    const before = JSON.parse((await ops(['--json', 'projections'])).stdout).find((row: { name: string }) => row.name === 'order-screens');
    const rebuilt = await ops(['projections', 'rebuild', 'order-screens', '--interval', '50']);
    expect(rebuilt.code).toBe(0);
    expect(rebuilt.stdout).toMatch(new RegExp(`order-screens: version ${before.version + 1} is live`));
    expect(rebuilt.stderr).toMatch(/order-screens \[/);
    expect((await ops(['projections', 'rebuild', 'nope'])).code).toBe(1);
  });

  it('exports events as one envelope per line, masked on request', async () => {
    const { customerId } = await readyCustomer(h);
    const stream = `customer-${customerId}`;
    const plain = await ops(['events', 'export', '--topic', 'order.events', '--stream', stream]);
    expect(plain.code).toBe(0);
    const lines = plain.stdout.trim().split('\n').map((line) => JSON.parse(line));
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatchObject({ type: 'CustomerRegistered', streamId: stream, data: { contact: { email: 'yamada@example.co.jp' } } });

    const masked = await ops(['events', 'export', '--topic', 'order.events', '--stream', stream, '--mask-pii']);
    expect(JSON.parse(masked.stdout.trim()).data.contact).toEqual({ name: '***', phone: '***', email: '***' });

    // A service's whole store: the internal events too.
    const whole = await ops(['events', 'export', '--service', 'order', '--stream', stream]);
    expect(whole.stdout.trim().split('\n').map((line) => JSON.parse(line).type)).toEqual(['CustomerRegistered']);
    const { id: orderId } = (await h.http().post('/orders', { customerId, lines: [{ sku: 'MS-O365-E1', quantity: 1 }] }).expect(201)).body;
    const order = await ops(['events', 'export', '--service', 'order', '--stream', `order-${orderId}`]);
    expect(JSON.parse(order.stdout.split('\n')[0])).toMatchObject({ type: 'OrderCreated', streamId: `order-${orderId}` });
    expect((await ops(['events', 'export', '--topic', 'order.events', '--service', 'order'])).code).toBe(2);

    const wrongTopic = await ops(['events', 'export', '--topic', 'nope.events']);
    expect(wrongTopic.code).toBe(1);
    expect(wrongTopic.stderr).toMatch(/404 TOPIC_NOT_FOUND/);
  });

  it('says what went wrong, with distinct exit codes', async () => {
    const noToken = await ops(['projections'], null);
    expect(noToken.code).toBe(1);
    expect(noToken.stderr).toMatch(/401.*OPS_TOKEN/);
    expect((await ops(['projections', '--no-such-option'])).code).toBe(2);
    expect((await ops(['events', 'export'])).code).toBe(2); // --topic or --service is required
    const unreachable = await run('npm', ['run', '-s', 'ops', '--', '--url', 'http://127.0.0.1:9', 'projections'], { cwd: ROOT }).catch((error) => error);
    expect(unreachable.code).toBe(3);
    expect(unreachable.stderr).toMatch(/cannot reach/);
    // A dry run that is not confirmed changes nothing and says how to proceed.
    const republish = await ops(['republish', '--topic', 'order.events']);
    expect(republish.code).toBe(4);
    expect(republish.stderr).toMatch(/\d+ event\(s\) of order.events will be republished\. Not confirmed: run again with --yes/);
  });
});
