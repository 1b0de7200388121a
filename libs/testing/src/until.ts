/**
 * Polls `condition` every 20 ms until it holds; throws after `ms`. For tests that wait on work a
 * subscription or a worker does in the background (HTTP answers have e2e's `eventually`).
 */
export async function until(condition: () => boolean | Promise<boolean>, ms = 20_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`condition not met within ${ms} ms`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
