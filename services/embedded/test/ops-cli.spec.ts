import { execFile } from 'child_process';
import { createServer } from 'http';
import { AddressInfo } from 'net';
import { join } from 'path';
import { promisify } from 'util';
import { failingConsumer } from './support/failing-consumer';
import { asDirect, asDistributor, Harness, readyCustomer } from './support/harness';

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

  async function ops(args: string[], token: string | null = asDistributor, at = url) {
    try {
      const { stdout, stderr } = await run('npm', ['run', '-s', 'ops', '--', '--url', at, ...args], {
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

  it("shows a rebuild's step while its count stands still, in its progress bar and in the projections table", async () => {
    // A server whose rebuild takes its time in each step, as one over 1M orders does: the embedded
    // app's is over before the first poll.
    const row = (state: string, version: number, progress?: object) => ({ service: 'order', name: 'order-screens', state, version, checkpoint: 10, lag: 0, lastError: null, ...(progress && { progress }) });
    const rebuilding = (step: string, done: number, collection?: string) => row('rebuilding', 1, { version: 2, step, ...(collection && { collection }), done, total: 10 });
    // The bar is drawn once a second when stderr is no terminal: each step lasts longer than that.
    const answers = [rebuilding('filling', 5), ...Array(15).fill(rebuilding('indexing', 10, 'orders')), ...Array(15).fill(rebuilding('promoting', 10)), row('running', 2)];
    let asked = 0;
    await withProjectionsServer(
      () => answers[Math.min(asked++, answers.length - 1)],
      async (scripted) => {
        const listed = await ops(['projections'], asDistributor, scripted);
        expect(listed.stdout.trim().split('\n')[1]).toMatch(/^order\s+order-screens\s+rebuilding\s+1\s+10\s+0\s+5\/10 filling\s*$/);
        const rebuilt = await ops(['projections', 'rebuild', 'order-screens', '--interval', '100'], asDistributor, scripted);
        expect(rebuilt.code).toBe(0);
        expect(rebuilt.stderr).toMatch(/10\/10 events \| rebuilding: indexing orders/);
        expect(rebuilt.stderr).toMatch(/10\/10 events \| rebuilding: promoting/);
        expect(rebuilt.stdout).toMatch(/order-screens: version 2 is live/);
      },
    );
  });

  it('shows which collection a start is indexing (a new sort field at 1M orders takes seconds)', async () => {
    const since = '2026-12-05T03:00:00.000Z';
    const running = { service: 'order', name: 'order-screens', state: 'running', version: 1, checkpoint: 10, lag: 0, lastError: null, indexing: { collection: 'orders', since } };
    await withProjectionsServer(
      () => running,
      async (scripted) => {
        const listed = await ops(['projections'], asDistributor, scripted);
        expect(listed.stdout.trim().split('\n')[1]).toMatch(new RegExp(`^order\\s+order-screens\\s+running\\s+1\\s+10\\s+0\\s+indexing orders since ${since}\\s*$`));
      },
    );
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

    // The progress bar goes to stderr: stdout stays one envelope per line.
    const watched = await ops(['--progress', 'events', 'export', '--service', 'order']);
    expect(watched.stdout.trim().split('\n').every((line) => typeof JSON.parse(line).position === 'number')).toBe(true);
    expect(watched.stderr).toMatch(/export \[.*100% \| (\d+)\/\1 store positions/);

    const wrongTopic = await ops(['events', 'export', '--topic', 'nope.events']);
    expect(wrongTopic.code).toBe(1);
    expect(wrongTopic.stderr).toMatch(/404 TOPIC_NOT_FOUND/);
  });

  it('lists, shows, re-drives and discards dead letters, re-driving only after a confirmed dry run', async () => {
    const { topic, consumer, envelopes, state } = await failingConsumer(h, 'k1', 'k1', 'k2', 'k3');
    const listed = await ops(['dlq', 'list', '--topic', topic]);
    expect(listed.code).toBe(0);
    const [header, ...rows] = listed.stdout.trim().split('\n');
    expect(header.split(/\s+/).slice(0, 8)).toEqual(['id', 'topic', 'groupId', 'key', 'eventType', 'attempts', 'lastFailureAt', 'status']);
    expect(rows.map((row) => row.split(/\s+/)[3])).toEqual(['k1', 'k1', 'k2', 'k3']);
    expect(listed.stderr).toMatch(/4 of 4/);
    const { items } = JSON.parse((await ops(['--json', 'dlq', 'list', '--topic', topic])).stdout);
    expect(items.map((item: { eventId: string }) => item.eventId)).toEqual(envelopes.map((envelope) => envelope.eventId));

    const shown = await ops(['dlq', 'show', items[0].id]);
    expect(JSON.parse(shown.stdout)).toMatchObject({ id: items[0].id, error: 'downstream is down', event: { eventId: envelopes[0].eventId } });
    expect((await ops(['dlq', 'show', 'nope'])).code).toBe(1);

    const discarded = await ops(['dlq', 'discard', items[3].id, '--reason', 'test message, never real']);
    expect(discarded.stdout.trim()).toBe(`${items[3].id} discarded.`);
    expect((await ops(['dlq', 'discard', items[3].id, '--reason', 'again'])).stderr).toMatch(/409 DEAD_LETTER_SETTLED/);
    expect((await ops(['dlq', 'discard', items[2].id])).code).toBe(2); // --reason is required

    const notConfirmed = await ops(['dlq', 'redrive', '--topic', topic]);
    expect(notConfirmed.code).toBe(4);
    expect(notConfirmed.stderr).toMatch(/3 dead letter\(s\) will be re-driven\. Not confirmed/);
    expect(state.handled).toEqual([]);

    state.healed = true;
    const redriven = await ops(['--progress', 'dlq', 'redrive', '--topic', topic, '--yes']);
    expect(redriven.code).toBe(0);
    expect(redriven.stdout.trim()).toBe('3 dead letter(s) re-driven.');
    expect(redriven.stderr).toMatch(/redrive \[.*3\/3 dead letters/);
    await consumer.caughtUp();
    // k1's two letters went together and in their order.
    expect(state.handled).toEqual(envelopes.slice(0, 3).map((envelope) => envelope.eventId));
    expect(JSON.parse((await ops(['--json', 'dlq', 'list', '--topic', topic])).stdout).total).toBe(0);
    await consumer.stop();
  });

  it('republishes in steps after a confirmed dry run, exactly the events it counted', async () => {
    const { customerId } = await readyCustomer(h);
    await h.settle();
    const dryRun = (await h.http(asDistributor).post('/ops/republish', { topic: 'order.events' }).expect(200)).body.count;
    const journal = () => h.embedded.runtimes.order.eventStore.readStream('ops-journal');
    const before = (await journal()).length;

    const notConfirmed = await ops(['republish', '--topic', 'order.events', '--stream', `customer-${customerId}`]);
    expect(notConfirmed.stderr).toMatch(/1 event\(s\) of order.events will be republished/);
    const sent = await ops(['--progress', 'republish', '--topic', 'order.events', '--step', '2', '--yes']);
    expect(sent.code).toBe(0);
    expect(sent.stdout.trim()).toBe(`${dryRun} event(s) republished on order.events.`);
    expect(sent.stderr).toMatch(new RegExp(`republish order.events \\[.*${dryRun}/${dryRun} events`));
    const steps = (await journal()).slice(before).filter((event) => event.type === 'EventsRepublished');
    expect(steps).toHaveLength(Math.ceil(dryRun / 2));
    expect(steps.reduce((sum, step) => sum + (step.data as { count: number }).count, 0)).toBe(dryRun);
    expect((await ops(['republish', '--topic', 'order.events', '--step', '0', '--yes'])).code).toBe(2);
  });

  it('rewinds a consumer group after a confirmed dry run that states the count', async () => {
    await h.settle();
    const consumers = JSON.parse((await ops(['--json', 'consumers'])).stdout);
    const group = consumers.find((consumer: { kind: string; topics?: string[] }) => consumer.kind === 'bus-group' && consumer.topics?.includes('order.events'));
    const onTopic = (await h.publishedOn('order.events')).length;

    const notConfirmed = await ops(['rewind', group.name, '--to', '0']);
    expect(notConfirmed.code).toBe(4);
    expect(notConfirmed.stderr).toContain(`${group.name} will handle ${onTopic} event(s) again. Not confirmed`);
    const rewound = await ops(['rewind', group.name, '--to', '0', '--yes']);
    expect(rewound.code).toBe(0);
    expect(rewound.stdout.trim()).toBe(`${group.name} rewound: ${onTopic} event(s) to handle again.`);
    await h.settle();
    expect((await ops(['rewind', group.name, '--to', '2099-01-01T00:00:00Z', '--yes'])).stdout).toMatch(/rewound: 0 event\(s\)/);
    expect((await ops(['rewind', 'nope', '--to', '0', '--yes'])).stderr).toMatch(/404 CONSUMER_NOT_FOUND/);
    expect((await ops(['rewind', group.name])).code).toBe(2); // --to is required
  });

  it('tells a token problem from an unreachable server', async () => {
    const noToken = await ops(['projections'], null);
    expect(noToken.code).toBe(5);
    expect(noToken.stderr).toMatch(/no token given: give --token or set OPS_TOKEN/);
    const malformed = await ops(['projections'], 'not a token');
    expect(malformed.code).toBe(5);
    expect(malformed.stderr).toMatch(/the token is malformed/);
    const rejected = await ops(['projections'], `${asDistributor}x`);
    expect(rejected.code).toBe(5);
    expect(rejected.stderr).toMatch(/the token was not accepted .*401/);
    const otherRole = await ops(['projections'], asDirect);
    expect(otherRole.code).toBe(5);
    expect(otherRole.stderr).toMatch(/its role may not do this \(ops needs distributor-admin\).*403/);
    for (const failed of [noToken, malformed, rejected, otherRole]) expect(failed.stderr).not.toMatch(/cannot reach/);
  });

  it('says what went wrong, with distinct exit codes', async () => {
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

/**
 * A server answering GET /ops/projections with `row()` each time (and a rebuild's POST): one whose
 * steps last, as they do over 1M orders, where the embedded app's are over before the first poll.
 */
async function withProjectionsServer(row: () => object, body: (url: string) => Promise<void>): Promise<void> {
  const server = createServer((request, response) => {
    response.setHeader('content-type', 'application/json');
    if (request.method === 'POST') return void response.end(JSON.stringify({ version: 2 }));
    response.end(JSON.stringify({ items: [row()] }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  try {
    await body(`http://127.0.0.1:${(server.address() as AddressInfo).port}`);
  } finally {
    await new Promise((resolve) => server.close(resolve));
  }
}
