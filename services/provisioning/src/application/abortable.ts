/** Waits `ms`, or rejects as soon as the signal aborts (a stopping worker does not sit out a back-off). */
export function delayUnlessAborted(ms: number, signal: AbortSignal): Promise<void> {
  return unlessAborted(new Promise<void>((resolve) => setTimeout(resolve, Math.max(0, ms)).unref?.()), signal);
}

/**
 * The promise's outcome, or a rejection as soon as the signal aborts. The work itself is not
 * cancelled (a vendor call cannot be), only no longer awaited: its answer is asked for again after
 * the restart, and connectors answer a repeated subscription id with the first answer.
 */
export function unlessAborted<T>(promise: Promise<T>, signal: AbortSignal): Promise<T> {
  if (signal.aborted) return Promise.reject(abortError());
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(abortError());
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(
      (value) => {
        signal.removeEventListener('abort', onAbort);
        resolve(value);
      },
      (error: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(error);
      },
    );
  });
}

const abortError = () => Object.assign(new Error('aborted: the worker is stopping'), { name: 'AbortError' });
