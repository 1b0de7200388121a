/** Works on the thread for `ms`, as synchronous work (parsing, a SQLite statement) does. */
export function holdThread(ms: number): void {
  const until = performance.now() + ms;
  while (performance.now() < until) {
    // Nothing else runs meanwhile: no timer, no request.
  }
}

/**
 * A handler that works on the thread for `msPerItem` per item, as a projection does (parse, change,
 * write), and notes how many items it had handled when the event loop first ran a timer set at its
 * first item. A catch-up that never hands the thread over leaves that timer until it has finished.
 */
export function busyHandler(msPerItem = 1) {
  const state = { handled: 0, handledWhenTimerRan: undefined as number | undefined };
  const handle = async (): Promise<void> => {
    if (state.handled === 0) setTimeout(() => (state.handledWhenTimerRan = state.handled), 0);
    holdThread(msPerItem);
    state.handled++;
  };
  return { handle, state };
}
