import { execSync } from 'child_process';
import { randomUUID } from 'crypto';
import { mkdtempSync, rmSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { call, customerBody, eventually } from './support/http';
import { describeWithInfrastructure, KAFKA_BROKERS, MONGO_URL } from './support/infrastructure';
import { freePort, ServiceProcess } from './support/service-process';
import { TcpProxy } from './support/tcp-proxy';

const ROOT = join(__dirname, '..');

/**
 * The order service in its own process, its read models in MongoDB reached through a proxy the test
 * cuts: the shared Mongo-wire server keeps running for the other suites, the service sees an outage.
 */
describeWithInfrastructure('fault: the read store goes away and comes back', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'lp-outage-'));
  const mongo = new URL(MONGO_URL ?? 'mongodb://127.0.0.1:27017');
  const proxy = new TcpProxy(mongo.hostname, Number(mongo.port || 27017));
  let service: ServiceProcess;

  beforeAll(async () => {
    execSync('npx swc services libs -d dist --config-file .swcrc -q --ignore "**/*.spec.ts" --ignore "**/test/**"', { cwd: ROOT, stdio: 'inherit' });
    const proxyPort = await proxy.start();
    service = new ServiceProcess('order', await freePort(), {
      KAFKA_BROKERS: KAFKA_BROKERS!,
      EVENT_STORE: 'sqlite',
      DATA_DIR: join(dataDir, 'order'),
      READ_STORE: 'mongo',
      // Short driver timeouts: the outage is noticed, and the way back found, within seconds.
      MONGO_URL: `mongodb://127.0.0.1:${proxyPort}/?serverSelectionTimeoutMS=2000&heartbeatFrequencyMS=1000`,
      MONGO_DB: `outage-${randomUUID().slice(0, 8)}`,
      READINESS_STALL_MS: '5000',
    });
    await service.start();
  }, 120_000);

  afterAll(async () => {
    await service?.stop();
    await proxy.cut();
    rmSync(dataDir, { recursive: true, force: true });
  }, 30_000);

  const ready = () => call(service.baseUrl, 'GET', '/health/ready');
  const acknowledged: string[] = [];
  const register = async () => {
    const answer = await call(service.baseUrl, 'POST', '/customers', customerBody);
    if (answer.status === 201) acknowledged.push(answer.body.id);
    return answer;
  };

  it('is unready naming the read store while it is away, ready again after, and shows every acknowledged customer', async () => {
    for (let i = 0; i < 3; i++) expect((await register()).status).toBe(201);
    expect((await ready()).status).toBe(200);

    await proxy.cut();
    const down = await eventually(ready, (answer) => answer.status === 503, 20_000);
    expect(down.status).toBe(503);
    expect(down.body.status).toBe('unavailable');
    expect(down.body.checks).toContainEqual(
      expect.objectContaining({ name: 'order.read-store', ok: false, kind: 'dependency', since: expect.any(String), error: expect.stringContaining('read-store unreachable') }),
    );
    // Whatever is acknowledged meanwhile must show once the read store is back. Registering a customer
    // reads the read store before it commits, so during the outage it is refused — as a 503 with
    // Retry-After that changed nothing, never a 500.
    const during = [];
    for (let i = 0; i < 3; i++) during.push(await register());
    for (const answer of during) {
      expect([201, 503]).toContain(answer.status);
      if (answer.status === 503) expect(answer.headers.get('retry-after')).toMatch(/^\d+$/);
    }

    await proxy.start();
    const up = await eventually(ready, (answer) => answer.status === 200, 60_000);
    expect({ status: up.status, checks: up.body.checks.filter((check: { ok: boolean }) => !check.ok) }).toEqual({ status: 200, checks: [] });
    for (const id of acknowledged) {
      const shown = await eventually(() => call(service.baseUrl, 'GET', `/customers/${id}`), (answer) => answer.status === 200, 30_000);
      expect({ id, status: shown.status }).toEqual({ id, status: 200 });
    }
    // Nothing was committed that was not acknowledged: the list holds exactly the acknowledged customers.
    const list = await eventually(() => call(service.baseUrl, 'GET', '/customers'), (answer) => answer.status === 200, 30_000);
    expect(list.body.total).toBe(acknowledged.length);
    // The outage and the recovery are in the logs, as JSON lines naming the service.
    const lines = service
      .logTail(2000)
      .split('\n')
      .filter((line) => line.startsWith('{'))
      .map((line) => JSON.parse(line));
    expect(lines).toContainEqual(expect.objectContaining({ level: 'warn', service: 'order', dependency: 'read-store', msg: 'unreachable' }));
    expect(lines).toContainEqual(expect.objectContaining({ level: 'info', service: 'order', dependency: 'read-store', msg: 'reachable again' }));
  }, 180_000);
});
