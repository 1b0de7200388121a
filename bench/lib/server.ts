import { ChildProcess, spawn } from 'child_process';
import { createWriteStream, existsSync, readFileSync, WriteStream } from 'fs';
import http from 'http';
import net from 'net';
import { join, resolve } from 'path';
import { sleep } from './stats';

/** Repo root seen from dist/bench/lib/server.js (or bench/lib/server.ts). */
export const REPO_ROOT = resolve(__dirname, existsSync(resolve(__dirname, '../../../package.json')) ? '../../..' : '../..');
const SERVER_MAIN = join(REPO_ROOT, 'dist/services/embedded/src/main.js');

export interface ServerOptions {
  dataDir: string;
  port: number;
  synchronous: 'FULL' | 'NORMAL';
  /** Server stdout/stderr go here (appended). */
  logFile: string;
  /** Directory for a V8 CPU profile of this run (written when the child exits on SIGTERM). */
  cpuProfDir?: string;
  /** Modules preloaded into the server with `node -r` (diagnostic what-ifs, see bench/whatif/). */
  preload?: string[];
  /** Extra node options of the server (diagnostic what-ifs, e.g. --single-threaded-gc). */
  nodeArgs?: string[];
  /** Entry point relative to the repo root (default: the embedded runtime), e.g. dist/services/order/src/main.js. */
  main?: string;
  /** Extra environment of the child (e.g. KAFKA_BROKERS, READ_STORE for a standalone service). */
  env?: Record<string, string>;
}

/** A free TCP port on loopback (bind :0, read it, release it). */
export function freePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const server = net.createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolvePort(port));
    });
  });
}

/** The embedded runtime as a child process (`node dist/services/embedded/src/main.js`). */
export class ServerProcess {
  private child?: ChildProcess;
  private log?: WriteStream;
  private exited?: Promise<void>;

  constructor(readonly options: ServerOptions) {}

  get pid(): number | undefined {
    return this.child?.pid;
  }

  get running(): boolean {
    return !!this.child && this.child.exitCode === null && this.child.signalCode === null;
  }

  /** Spawns the server and resolves with the milliseconds from spawn to the first 200 of /health/ready. */
  async start(readyTimeoutMs = 600_000): Promise<number> {
    const { dataDir, port, synchronous, logFile, cpuProfDir, preload = [], nodeArgs = [], env = {} } = this.options;
    const main = this.options.main ? join(REPO_ROOT, this.options.main) : SERVER_MAIN;
    if (!existsSync(main)) throw new Error(`${main} not found: run the build first (npm run bench builds)`);
    const args = [
      ...nodeArgs,
      ...preload.flatMap((module) => ['-r', resolve(REPO_ROOT, module)]),
      ...(cpuProfDir ? ['-r', join(__dirname, 'exit-on-signal.js'), '--cpu-prof', `--cpu-prof-dir=${cpuProfDir}`] : []),
    ];
    this.log = createWriteStream(logFile, { flags: 'a' });
    const started = performance.now();
    const child = spawn(process.execPath, [...args, main], {
      cwd: REPO_ROOT,
      env: { ...process.env, ...env, PORT: String(port), DATA_DIR: dataDir, SQLITE_SYNCHRONOUS: synchronous },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    this.child = child;
    child.stdout!.pipe(this.log, { end: false });
    child.stderr!.pipe(this.log, { end: false });
    this.exited = new Promise((resolveExit) => child.once('exit', () => resolveExit()));

    const deadline = started + readyTimeoutMs;
    for (;;) {
      if (!this.running) throw new Error(`server exited during start (code ${child.exitCode}, signal ${child.signalCode}); log: ${logFile}\n${this.logTail()}`);
      if ((await probe(port, '/health/ready')) === 200) return performance.now() - started;
      if (performance.now() > deadline) throw new Error(`server not ready after ${readyTimeoutMs} ms; log: ${logFile}\n${this.logTail()}`);
      await sleep(25);
    }
  }

  /** SIGTERM, then SIGKILL if it has not exited after graceMs. */
  async stop(graceMs = 15_000): Promise<void> {
    const child = this.child;
    if (!child) return;
    if (this.running) {
      child.kill('SIGTERM');
      const timer = setTimeout(() => this.running && child.kill('SIGKILL'), graceMs);
      await this.exited;
      clearTimeout(timer);
    }
    this.child = undefined;
    await new Promise<void>((done) => (this.log ? this.log.end(done) : done()));
    this.log = undefined;
  }

  /** Synchronous last resort for process 'exit' handlers. */
  killNow(): void {
    if (this.running) this.child!.kill('SIGKILL');
  }

  /** VmRSS and VmHWM (peak) of the server process in MB, from /proc/<pid>/status. */
  memory(): { rssMb: number; peakMb: number } {
    const status = readFileSync(`/proc/${this.pid}/status`, 'utf8');
    const kb = (field: string) => Number(new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? NaN);
    return { rssMb: kb('VmRSS') / 1024, peakMb: kb('VmHWM') / 1024 };
  }

  logTail(lines = 30): string {
    try {
      return readFileSync(this.options.logFile, 'utf8').split('\n').slice(-lines).join('\n');
    } catch {
      return '';
    }
  }
}

/** Status code of a GET without auth, or 0 when nothing answers yet. */
function probe(port: number, path: string): Promise<number> {
  return new Promise((resolveStatus) => {
    const req = http.get({ host: '127.0.0.1', port, path, agent: false }, (res) => {
      res.resume();
      res.on('end', () => resolveStatus(res.statusCode ?? 0));
    });
    req.setTimeout(5_000, () => req.destroy());
    req.on('error', () => resolveStatus(0));
  });
}
