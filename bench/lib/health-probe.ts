import { HttpClient, Reply } from './http-client';
import { sleep } from './stats';

const round1 = (ms: number) => Math.round(ms * 10) / 10;

/**
 * What other clients of the server see while `work` runs: `GET /health/live` asked every 5 ms until
 * it settles. The slowest answer is how long any request would have waited behind `work`.
 */
export async function probedWhile(probe: HttpClient, work: () => Promise<Reply>): Promise<{ reply: Reply; ms: number; healthAnswersDuring: number; slowestHealthMs: number }> {
  let open = true;
  const started = performance.now();
  const running = work().finally(() => (open = false));
  let answers = 0;
  let slowestMs = 0;
  while (open) {
    const reply = await probe.get('/health/live');
    if (reply.status !== 200) throw new Error(`GET /health/live: ${reply.status}`);
    answers++;
    slowestMs = Math.max(slowestMs, reply.ms);
    await sleep(5);
  }
  const reply = await running;
  return { reply, ms: Math.round(performance.now() - started), healthAnswersDuring: answers, slowestHealthMs: round1(slowestMs) };
}
