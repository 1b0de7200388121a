import { execFileSync, spawnSync } from 'child_process';
import { join } from 'path';
import { REPO_ROOT } from './server';

const SCRIPT = join(REPO_ROOT, 'deploy/local/kafka.sh');

export interface KafkaHandle {
  brokers: string[];
  /** Where the brokers came from, for the log. */
  source: string;
  /** True only when this bench started the broker itself (then it stops it at the end). */
  startedHere: boolean;
}

/**
 * KAFKA_BROKERS if set; else `deploy/local/kafka.sh start`. A broker that was already running
 * (`kafka.sh status` succeeds before the start) is used but never stopped by the bench.
 */
export function acquireKafka(): KafkaHandle {
  const fromEnv = process.env.KAFKA_BROKERS?.trim();
  if (fromEnv) return { brokers: split(fromEnv), source: `KAFKA_BROKERS=${fromEnv} (from the environment)`, startedHere: false };
  const alreadyRunning = spawnSync('bash', [SCRIPT, 'status'], { cwd: REPO_ROOT, encoding: 'utf8' }).status === 0;
  const out = execFileSync('bash', [SCRIPT, 'start'], { cwd: REPO_ROOT, encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'], timeout: 300_000 });
  const line = /^KAFKA_BROKERS=(.+)$/m.exec(out)?.[1]?.trim();
  if (!line) throw new Error(`deploy/local/kafka.sh start printed no KAFKA_BROKERS=…:\n${out}`);
  return alreadyRunning
    ? { brokers: split(line), source: `KAFKA_BROKERS=${line} (deploy/local/kafka.sh: a broker that was already running; left running)`, startedHere: false }
    : { brokers: split(line), source: `KAFKA_BROKERS=${line} (started by the bench with deploy/local/kafka.sh; stopped at the end)`, startedHere: true };
}

/** Synchronous on purpose: also usable from process 'exit' handlers. */
export function stopKafka(): void {
  spawnSync('bash', [SCRIPT, 'stop'], { cwd: REPO_ROOT, stdio: ['ignore', 'ignore', 'inherit'], timeout: 60_000 });
}

const split = (brokers: string) =>
  brokers
    .split(',')
    .map((broker) => broker.trim())
    .filter(Boolean);
