/** Wakes a waiting loop early; a notification that arrives while nobody waits is kept for the next wait. */
export class WakeSignal {
  private pending = false;
  private wakeWaiter?: () => void;

  notify(): void {
    if (this.wakeWaiter) this.wakeWaiter();
    else this.pending = true;
  }

  /** Resolves on the next notification, or after timeoutMs (polling fallback). */
  wait(timeoutMs: number): Promise<void> {
    if (this.pending) {
      this.pending = false;
      return Promise.resolve();
    }
    return new Promise((resolve) => {
      const finish = () => {
        clearTimeout(timer);
        this.wakeWaiter = undefined;
        this.pending = false;
        resolve();
      };
      const timer = setTimeout(finish, timeoutMs);
      this.wakeWaiter = finish;
    });
  }
}
