/**
 * Polls `probe` until it returns a value or the time is up. For the one place where a service must
 * look at a local projection of another service's events right after that service answered the
 * client (e.g. a tenant registered for a customer created a moment ago).
 */
export async function waitFor<T>(probe: () => Promise<T | undefined>, timeoutMs: number, intervalMs = 20): Promise<T | undefined> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined || Date.now() >= deadline) return value;
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
}
