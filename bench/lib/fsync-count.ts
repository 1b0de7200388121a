import { spawn } from 'child_process';
import { sleep } from './stats';

export interface FsyncCount {
  fsync: number;
  fdatasync: number;
}

export type StopFsyncCount = () => Promise<FsyncCount | undefined>;

const EVENTS = ['syscalls:sys_enter_fsync', 'syscalls:sys_enter_fdatasync'];

/**
 * Counts the fsync and fdatasync calls of a running process (every durable SQLite commit or
 * checkpoint makes at least one) with `perf stat` on the syscall tracepoints: counted in the kernel,
 * so the process is not slowed the way strace would slow it. Needs perf and the right to trace
 * (root, or perf_event_paranoid ≤ -1); otherwise resolves with the reason and no counter.
 * Start it while the process is quiet: perf takes a moment to attach.
 */
export async function startFsyncCount(pid: number): Promise<{ stop?: StopFsyncCount; unavailable?: string }> {
  let stderr = '';
  let exited = false;
  const perf = spawn('perf', ['stat', '-x', ',', '-e', EVENTS.join(','), '-p', String(pid)], { stdio: ['ignore', 'ignore', 'pipe'] });
  const exit = new Promise<void>((resolve) => {
    perf.once('error', (error) => {
      stderr += error.message;
      exited = true;
      resolve();
    });
    perf.once('exit', () => {
      exited = true;
      resolve();
    });
  });
  perf.stderr.on('data', (chunk) => (stderr += chunk));
  await sleep(500);
  if (exited) return { unavailable: `perf stat: ${stderr.trim().split('\n')[0] || 'exited at once'}` };
  return {
    stop: async () => {
      perf.kill('SIGINT');
      await exit;
      const count = (event: string) => {
        const line = stderr.split('\n').find((l) => l.includes(event));
        const value = Number(line?.split(',')[0]);
        return Number.isFinite(value) ? value : NaN;
      };
      const result = { fsync: count(EVENTS[0]), fdatasync: count(EVENTS[1]) };
      return Number.isNaN(result.fsync + result.fdatasync) ? undefined : result;
    },
  };
}
