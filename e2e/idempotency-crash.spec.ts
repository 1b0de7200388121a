import { execSync } from 'child_process';
import { randomUUID } from 'crypto';
import { mkdtempSync, rmSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { RESELLER, customerBody } from './support/http';
import { freePort, ServiceProcess } from './support/service-process';

const ROOT = join(__dirname, '..');
const REQUESTS = 20;
/** Short, so that the retries reclaim the dead requests' keys within the test. */
const LEASE_MS = 2_000;
const KILL_AFTER_ANSWERS = 3;

interface Keyed {
  key: string;
  body: object;
}

async function postCustomer(baseUrl: string, { key, body }: Keyed) {
  const response = await fetch(`${baseUrl}/customers`, {
    method: 'POST',
    headers: { Authorization: `Bearer ${RESELLER}`, 'Content-Type': 'application/json', 'Idempotency-Key': key },
    body: JSON.stringify(body),
  });
  const text = await response.text();
  return { status: response.status, body: text ? JSON.parse(text) : undefined, recovered: response.headers.get('idempotent-recovered') };
}

/**
 * `npm start` killed with -9 while keyed requests are in flight, then started again: every key
 * must still get an answer (the committed resource, or a fresh run), never a 409 for ever, and no
 * request may have created its customer twice.
 */
describe('Idempotency-Key across a kill -9 of the embedded runtime', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'lp-idem-crash-'));
  let server: ServiceProcess;

  beforeAll(async () => {
    execSync('npm run -s build', { cwd: ROOT, stdio: 'inherit' });
    server = new ServiceProcess('embedded', await freePort(), { DATA_DIR: dataDir, IDEMPOTENCY_LEASE_MS: String(LEASE_MS) });
    await server.start();
  }, 120_000);

  afterAll(async () => {
    await server?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('answers every key with its one customer after the restart', async () => {
    const run = randomUUID().slice(0, 8);
    const requests: Keyed[] = Array.from({ length: REQUESTS }, (_, n) => ({
      key: `crash-${run}-${n}`,
      body: { ...customerBody, companyName: `クラッシュ試験 ${run} ${n}` },
    }));

    // A warm process first, then requests a few ms apart, so that when it dies the others are at
    // every stage: not yet arrived, claimed, committed but not answered.
    await postCustomer(server.baseUrl, { key: `warm-${run}`, body: { ...customerBody, companyName: `warm-up ${randomUUID()}` } });
    let answers = 0;
    let killNow!: () => void;
    const answered = new Promise<void>((resolve) => (killNow = resolve));
    const inFlight = requests.map((request, n) =>
      new Promise((resolve) => setTimeout(resolve, n * 2))
        .then(() => postCustomer(server.baseUrl, request))
        .then(
          (answer) => (++answers === KILL_AFTER_ANSWERS && killNow(), answer),
          () => undefined, // cut off by the kill
        ),
    );
    await answered;
    await server.kill9();
    const beforeCrash = await Promise.all(inFlight);
    await server.start();

    const retries = await Promise.all(requests.map((request) => postCustomer(server.baseUrl, request)));

    expect(retries.map((answer) => answer.status)).toEqual(Array(REQUESTS).fill(201));
    const ids = retries.map((answer) => answer.body.id as string);
    expect(new Set(ids).size).toBe(REQUESTS);
    // A request answered before the crash is replayed with the very same customer.
    beforeCrash.forEach((answer, n) => {
      if (answer?.status === 201) expect(ids[n]).toBe(answer.body.id);
    });

    const listed = await fetch(`${server.baseUrl}/customers?q=${encodeURIComponent(run)}&pageSize=200`, {
      headers: { Authorization: `Bearer ${RESELLER}` },
    }).then((response) => response.json() as Promise<{ items: { id: string; companyName: string }[] }>);
    const names = listed.items.map((customer) => customer.companyName).sort();
    expect(names).toEqual(requests.map((request) => (request.body as { companyName: string }).companyName).sort());
    expect(new Set(listed.items.map((customer) => customer.id))).toEqual(new Set(ids));
    // eslint-disable-next-line no-console
    console.log(
      `kill -9 with ${REQUESTS} keyed requests in flight: ${beforeCrash.filter((answer) => answer?.status === 201).length} answered before the crash, ` +
        `${retries.filter((answer) => answer.recovered === 'true').length} recovered from what was committed, the rest replayed or run afresh`,
    );
  }, 60_000);
});
