import { HttpClient, Reply } from './http-client';
import { CpuWindow, openCpuWindow } from './process-cpu';
import { LatencyRecorder } from './stats';

export interface LoadRun {
  recorder: LatencyRecorder;
  firstErrors: string[];
  wallMs: number;
  /** CPU of the loaded process and of this one over exactly the timed window (when a pid was given). */
  cpu?: CpuWindow;
}

/**
 * The load generator: `concurrency` workers take jobs 0…total-1 in turn until none is left; the
 * clock (and the CPU window of `cpuOf`, the server's pid) covers exactly the time they run.
 */
export async function runWorkers(
  concurrency: number,
  total: number,
  job: (n: number, send: SendCommand) => Promise<void>,
  cpuOf?: number,
): Promise<LoadRun> {
  const recorder = new LatencyRecorder();
  const firstErrors: string[] = [];
  const send = commandSender(recorder, firstErrors);
  let next = 0;
  const worker = async () => {
    while (next < total) await job(next++, send);
  };
  const closeCpu = cpuOf === undefined ? undefined : openCpuWindow(cpuOf);
  const started = performance.now();
  await Promise.all(Array.from({ length: concurrency }, worker));
  const wallMs = performance.now() - started;
  return { recorder, firstErrors, wallMs, cpu: closeCpu?.() };
}

/** Sends one request, records its latency under `type` and whether it got `status`; the reply only if it did. */
export type SendCommand = (
  client: HttpClient,
  type: string,
  method: 'GET' | 'POST' | 'PUT',
  path: string,
  body: object | undefined,
  status: number,
) => Promise<Reply | undefined>;

function commandSender(recorder: LatencyRecorder, firstErrors: string[]): SendCommand {
  return async (client, type, method, path, body, status) => {
    let reply: Reply;
    try {
      reply = await client.request(method, path, body);
    } catch (error) {
      recorder.record(type, NaN, false);
      if (firstErrors.length < 5) firstErrors.push(`${type}: ${(error as Error).message}`);
      return undefined;
    }
    const ok = reply.status === status;
    recorder.record(type, reply.ms, ok);
    if (!ok && firstErrors.length < 5) firstErrors.push(`${type}: ${reply.status} ${JSON.stringify(reply.body).slice(0, 300)}`);
    return ok ? reply : undefined;
  };
}
