/**
 * A back-off wait that stop() can cut short, so a retry loop never keeps a stopping consumer or
 * forwarder alive for its whole delay.
 */
export class InterruptibleDelay {
  private cancel?: () => void;

  /** Resolves true after `ms`, or false at once when interrupted. */
  wait(ms: number): Promise<boolean> {
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.cancel = undefined;
        resolve(true);
      }, ms);
      this.cancel = () => {
        clearTimeout(timer);
        this.cancel = undefined;
        resolve(false);
      };
    });
  }

  interrupt(): void {
    this.cancel?.();
  }
}
