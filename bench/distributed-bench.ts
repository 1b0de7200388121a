import { join } from 'path';
import { HttpClient } from './lib/http-client';
import { freePort, ServerProcess } from './lib/server';
import { sleep, summarize, Summary } from './lib/stats';
import { benchToken } from './lib/token';

export interface E2eRun {
  label: string;
  concurrency: number;
  /** POST /customers (order) → first 200 of GET /customers/:id/tenants (provisioning), ms. */
  endToEnd: Summary;
  /** The command alone: POST /customers until its 201, ms. */
  command: Summary;
  /** From the command's 201 to provisioning's first 200, ms. */
  afterReply: Summary;
  /** GET polls per sample, mean. */
  pollsPerSample: number;
  /** Samples that did not reach provisioning within the timeout, or whose command failed. */
  failures: number;
  firstFailures: string[];
  wallMs: number;
}

export interface DistributedResult {
  startMs: number;
  runs: E2eRun[];
}

export interface DistributedPhaseOptions {
  workDir: string;
  brokers: string[];
  synchronous: 'FULL' | 'NORMAL';
  commands: number;
  /** Workers of the second run (0 or 1: no second run). */
  concurrency: number;
  warmup: number;
  pollMs: number;
  /** Every child is registered here at once, so that the bench's cleanup can kill it whatever happens. */
  children: Set<ServerProcess>;
  log: (message: string) => void;
}

const SAMPLE_TIMEOUT_MS = 30_000;

const customerBody = (n: number) => ({
  companyName: 'ベンチ株式会社',
  companyNameKana: 'ベンチカブシキガイシャ',
  siteName: `拠点${n}`,
  contact: { name: '山田 太郎', phone: '03-1234-5678', email: 'yamada@example.co.jp' },
  address: { postalCode: '1000001', prefecture: '東京都', city: '千代田区', address1: '千代田1-1' },
});

/**
 * The order and provisioning services as separate processes (standalone mode: SQLite event store,
 * in-memory read models, Kafka between them). A sample = POST /customers on the order service, then
 * GET /customers/:id/tenants on provisioning every `pollMs` until the first 200 (404 until the
 * CustomerRegistered reached provisioning's read model over Kafka).
 */
export async function distributedPhase(options: DistributedPhaseOptions): Promise<DistributedResult> {
  const { workDir, brokers, synchronous, children, log } = options;
  const services: Record<'order' | 'provisioning', ServerProcess> = {} as never;
  for (const name of ['order', 'provisioning'] as const) {
    const service = new ServerProcess({
      main: `dist/services/${name}/src/main.js`,
      dataDir: join(workDir, `distributed-${name}`),
      port: await freePort(),
      synchronous,
      logFile: join(workDir, `distributed-${name}.log`),
      env: { KAFKA_BROKERS: brokers.join(','), KAFKA_PARTITIONS: '3', EVENT_STORE: 'sqlite', READ_STORE: 'memory', BUS: 'kafka' },
    });
    services[name] = service;
    children.add(service);
  }
  const started = performance.now();
  await Promise.all(Object.values(services).map((service) => service.start(120_000)));
  const startMs = performance.now() - started;
  log(
    `distributed: order (pid ${services.order.pid}, :${services.order.options.port}) and provisioning (pid ${services.provisioning.pid}, :${services.provisioning.options.port}) ready in ${(startMs / 1000).toFixed(1)} s; READ_STORE=memory, SQLITE_SYNCHRONOUS=${synchronous}`,
  );

  const width = Math.max(1, options.concurrency);
  const token = benchToken();
  const order = new HttpClient('127.0.0.1', services.order.options.port, token, width);
  const provisioning = new HttpClient('127.0.0.1', services.provisioning.options.port, token, width);
  const runs: E2eRun[] = [];
  try {
    let n = 0;
    const run = async (label: string, count: number, concurrency: number, sampleTimeoutMs = SAMPLE_TIMEOUT_MS): Promise<E2eRun> => {
      const endToEnd: number[] = [];
      const command: number[] = [];
      const afterReply: number[] = [];
      const failures: string[] = [];
      let polls = 0;
      let next = 0;
      const worker = async () => {
        while (next < count) {
          next++;
          const sent = performance.now();
          const created = await order.post('/customers', customerBody(n++));
          const replied = performance.now();
          if (created.status !== 201) {
            failures.push(`POST /customers: ${created.status} ${JSON.stringify(created.body).slice(0, 200)}`);
            continue;
          }
          const path = `/customers/${created.body.id}/tenants`;
          for (let lastPoll = replied - options.pollMs; ; ) {
            const wait = lastPoll + options.pollMs - performance.now();
            if (wait > 0.5) await sleep(wait);
            lastPoll = performance.now();
            const answer = await provisioning.get(path);
            polls++;
            const now = performance.now();
            if (answer.status === 200) {
              endToEnd.push(now - sent);
              command.push(replied - sent);
              afterReply.push(now - replied);
              break;
            }
            if (answer.status !== 404 || now - sent > sampleTimeoutMs) {
              failures.push(`GET ${path}: ${answer.status} after ${(now - sent).toFixed(0)} ms ${JSON.stringify(answer.body).slice(0, 200)}`);
              break;
            }
          }
        }
      };
      const t0 = performance.now();
      await Promise.all(Array.from({ length: concurrency }, () => worker()));
      const wallMs = performance.now() - t0;
      return {
        label,
        concurrency,
        endToEnd: summarize(endToEnd, failures.length),
        command: summarize(command),
        afterReply: summarize(afterReply),
        pollsPerSample: polls / Math.max(1, endToEnd.length + failures.length),
        failures: failures.length,
        firstFailures: failures.slice(0, 5),
        wallMs,
      };
    };

    // Warm-up: JIT, connections, and the consumer group's first fetches; a fresh in-memory read model
    // replays order.events from the beginning first (a reused broker may hold earlier runs' customers).
    if (options.warmup) {
      const warm = await run('warm-up', options.warmup, Math.min(width, 4), 120_000);
      log(`distributed: warm-up ${warm.endToEnd.count} samples, p50 ${warm.endToEnd.p50.toFixed(1)} ms, max ${warm.endToEnd.max.toFixed(0)} ms${warm.failures ? `, ${warm.failures} failures` : ''}`);
    }
    const report = (r: E2eRun) => {
      log(
        `distributed ${r.label}: ${r.endToEnd.count} samples in ${(r.wallMs / 1000).toFixed(1)} s; end-to-end p50 ${r.endToEnd.p50.toFixed(1)} / p99 ${r.endToEnd.p99.toFixed(1)} / max ${r.endToEnd.max.toFixed(1)} ms; command p50 ${r.command.p50.toFixed(1)} / p99 ${r.command.p99.toFixed(1)} ms; after the 201 p50 ${r.afterReply.p50.toFixed(1)} / p99 ${r.afterReply.p99.toFixed(1)} ms; ${r.pollsPerSample.toFixed(1)} polls/sample${r.failures ? `; ${r.failures} failures` : ''}`,
      );
      if (r.firstFailures.length) log(`  first failures:\n    ${r.firstFailures.join('\n    ')}`);
    };
    runs.push(await run('sequential', options.commands, 1));
    report(runs[runs.length - 1]);
    if (options.concurrency > 1) {
      runs.push(await run(`${options.concurrency} concurrent`, options.commands, options.concurrency));
      report(runs[runs.length - 1]);
    }
    if (runs.some((r) => r.failures)) logTails(services, log);
  } catch (error) {
    logTails(services, log);
    throw error;
  } finally {
    order.close();
    provisioning.close();
    await Promise.all(
      Object.values(services).map(async (service) => {
        await service.stop().catch(() => service.killNow());
        children.delete(service);
      }),
    );
  }
  return { startMs, runs };
}

function logTails(services: Record<string, ServerProcess>, log: (message: string) => void): void {
  for (const [name, service] of Object.entries(services)) log(`${name} log tail:\n${service.logTail(20)}`);
}
