import { execFileSync } from 'child_process';
import { readFileSync } from 'fs';
import { sleep } from './stats';

/**
 * CPU time of a process as the kernel accounts it, which stays meaningful on a shared, noisy
 * machine where wall time does not: what the process itself burnt, whoever else ran meanwhile.
 */

/** Clock ticks per second of /proc/<pid>/stat (`getconf CLK_TCK`, 100 on Linux in practice). */
export const CLOCK_TICKS_PER_SECOND = (() => {
  try {
    const ticks = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim());
    return Number.isInteger(ticks) && ticks > 0 ? ticks : 100;
  } catch {
    return 100;
  }
})();

const MICROS_PER_TICK = 1_000_000 / CLOCK_TICKS_PER_SECOND;

/** utime + stime of every thread of the process so far, in µs (resolution: one clock tick, 10 ms). */
export function processCpuMicros(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  // Fields after the command name, which is in parentheses and may itself contain spaces or ')'.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  // utime and stime are fields 14 and 15 of stat(5); fields[0] here is field 3 (state).
  return (Number(fields[11]) + Number(fields[12])) * MICROS_PER_TICK;
}

export interface CpuWindow {
  /** CPU µs the measured process (e.g. the server child) used over the window. */
  processUs: number;
  /** CPU µs this process (the load generator) used over the same window. */
  selfUs: number;
}

/** Starts a window now; the returned function closes it. */
export function openCpuWindow(pid: number): () => CpuWindow {
  const processStart = processCpuMicros(pid);
  const selfStart = process.cpuUsage();
  return () => {
    const self = process.cpuUsage(selfStart);
    return { processUs: processCpuMicros(pid) - processStart, selfUs: self.user + self.system };
  };
}

/**
 * Waits until the process has been quiet (at most `quietTicks` clock ticks of CPU in each of two
 * consecutive `intervalMs` samples), or `maxMs` has passed. Resolves with the CPU µs it used while
 * waiting — the asynchronous work (consumers, projections, provisioning) still running after the
 * last reply — and whether it got quiet at all.
 */
export interface QuietWait {
  /** CPU µs the process used while being waited for. */
  tailUs: number;
  /** False when it never got quiet within the limit. */
  quiet: boolean;
  ms: number;
}

export async function waitUntilQuiet(pid: number, { intervalMs = 200, quietTicks = 1, maxMs = 20_000 } = {}): Promise<QuietWait> {
  const started = performance.now();
  const first = processCpuMicros(pid);
  let previous = first;
  let quietSamples = 0;
  while (performance.now() - started < maxMs) {
    await sleep(intervalMs);
    const now = processCpuMicros(pid);
    quietSamples = now - previous <= quietTicks * MICROS_PER_TICK ? quietSamples + 1 : 0;
    previous = now;
    if (quietSamples >= 2) return { tailUs: now - first, quiet: true, ms: performance.now() - started };
  }
  return { tailUs: previous - first, quiet: false, ms: performance.now() - started };
}
