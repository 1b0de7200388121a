/**
 * The longest the event loop went without a turn, seen by a timer due every 10 ms (so ~10 ms at
 * best): what an HTTP request or a health probe would have waited behind the work watched. Counted
 * up to stop(), because a loop held for the whole window never runs a timer at all.
 */
export function watchEventLoop(): { stop: () => number } {
  let last = performance.now();
  let longest = 0;
  const tick = () => {
    const now = performance.now();
    longest = Math.max(longest, now - last);
    last = now;
  };
  const timer = setInterval(tick, 10);
  return {
    stop: () => {
      clearInterval(timer);
      tick();
      return longest;
    },
  };
}
