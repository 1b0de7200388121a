/** Wakes a waiting loop early; a notification that arrives while nobody waits is kept for the next wait. */
export class WakeSignal {
  private pending = false;
  private wakeWaiter?: () => void;

  notify(): void {
    if (this.wakeWaiter) this.wakeWaiter();
    else this.pending = true;
  }

  /** Resolves true on the next notification, or false after timeoutMs (polling fallback). */
  wait(timeoutMs: number): Promise<boolean> {
    if (this.pending) {
      this.pending = false;
      return Promise.resolve(true);
    }
    return new Promise((resolve) => {
      const finish = (notified: boolean) => {
        clearTimeout(timer);
        this.wakeWaiter = undefined;
        this.pending = false;
        resolve(notified);
      };
      const timer = setTimeout(() => finish(false), timeoutMs);
      this.wakeWaiter = () => finish(true);
    });
  }
}
