import { Logger } from '@nestjs/common';
import { markViewStale } from '@lp/platform';

/** The longest a command's answer waits for the read model before it is built from the write side. */
export const DEFAULT_VIEW_WAIT_MS = 2000;

export function viewWaitMs(env: NodeJS.ProcessEnv = process.env): number {
  const value = env.VIEW_WAIT_MS ? Number(env.VIEW_WAIT_MS) : NaN;
  return Number.isFinite(value) && value >= 0 ? value : DEFAULT_VIEW_WAIT_MS;
}

export interface AnswerAfterWrite<View extends object> {
  /** What the answer shows, for the warning an operator reads when it is stale: `order 4f1c…`. */
  what: string;
  /** The normal answer: the resource as the read model shows it once it has seen the write. */
  view: () => Promise<View | undefined>;
  /**
   * The answer from the write side when the read model is late or down: built from what the
   * command decided (see projectEvents in @lp/read-models). It must not need the read store.
   */
  decided: () => View | Promise<View>;
  /** Default VIEW_WAIT_MS (2 s). */
  waitMs?: number;
}

const logger = new Logger('AnswerAfterWrite');

/**
 * A command's answer once its events are committed: the read model's view when it catches up
 * within a bounded wait, else the decided state, marked `X-View-Stale: true`. A committed command
 * therefore never answers 5xx because of its read side (a client retrying a 500 would create a
 * duplicate); the write side's own failures happen before the commit (503 STORE_UNAVAILABLE).
 */
export async function answerAfterWrite<View extends object>(
  runtime: { projectionsCaughtUp(): Promise<void> },
  answer: AnswerAfterWrite<View>,
): Promise<View> {
  const waitMs = answer.waitMs ?? viewWaitMs();
  try {
    const view = await within(waitMs, async () => {
      await runtime.projectionsCaughtUp();
      return answer.view();
    });
    if (view !== undefined) return view;
    logger.warn(`the read model did not show ${answer.what} within ${waitMs} ms after a write: answered from the decided state (X-View-Stale)`);
  } catch (error) {
    logger.warn(`the read model failed to show ${answer.what} after a write (${error instanceof Error ? error.message : String(error)}): answered from the decided state (X-View-Stale)`);
  }
  return markViewStale(await answer.decided());
}

/** `work`'s value, or undefined when it takes longer than `ms`; a late failure is dropped. */
async function within<T>(ms: number, work: () => Promise<T>): Promise<T | undefined> {
  let timer: NodeJS.Timeout | undefined;
  const running = work();
  running.catch(() => undefined);
  const timeout = new Promise<undefined>((resolve) => (timer = setTimeout(() => resolve(undefined), ms)));
  try {
    return await Promise.race([running, timeout]);
  } finally {
    clearTimeout(timer);
  }
}
