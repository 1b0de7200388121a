import { RetryPolicy, TransientError } from '@lp/eventsourcing';
import { SubscriptionStatus } from '@lp/messaging';
import { until } from '@lp/testing';
import { BackgroundIndexes } from '../src/background-indexes';

const fast = new RetryPolicy({ initialDelayMs: 1, maxDelayMs: 5 });

function indexes(make: (working: (collection: string) => void) => Promise<void>, caughtUp: () => Promise<void> = async () => undefined) {
  const failures: unknown[] = [];
  const status = new SubscriptionStatus('rows', 'projection');
  const first = new BackgroundIndexes({ caughtUp, make, what: 'making the indexes of a first fill', retryPolicy: fast, status, onFailure: (error) => failures.push(error) });
  return { first, failures, status };
}

/** A fill that has not caught up until `catchUp()`; `made` records the indexes made. */
function heldFill() {
  let catchUp!: () => void;
  const made: string[] = [];
  const { first } = indexes(
    async () => void made.push('indexes'),
    () => new Promise<void>((resolve) => (catchUp = resolve)),
  );
  return { first, made, catchUp: () => catchUp() };
}

describe('BackgroundIndexes (a first fill indexed once it has caught up)', () => {
  it('makes the indexes once the fill has caught up, not before', async () => {
    const { first, made, catchUp } = heldFill();
    await new Promise((resolve) => setTimeout(resolve, 5));
    expect(made).toEqual([]);
    catchUp();
    await first.done;
    expect(made).toEqual(['indexes']);
  });

  it('waits out a store that is down, showing it in the status, and stop() ends the wait without a failure', async () => {
    let tries = 0;
    const { first, failures, status } = indexes(async () => {
      tries++;
      throw new TransientError('read store unavailable');
    });
    await until(() => tries >= 3);
    expect(status.snapshot().state).toBe('retrying');
    await first.stop();
    expect(failures).toEqual([]);
  });

  it('makes nothing when stopped before the fill caught up, so that the next start indexes', async () => {
    const { first, made, catchUp } = heldFill();
    const stopping = first.stop();
    catchUp(); // a stopped subscription settles its caughtUp() waiters
    await stopping;
    expect(made).toEqual([]);
  });

  it('shows in the status which collection it indexes, until made, given up on or stopped', async () => {
    let finish!: () => void;
    const { first, status } = indexes(async (working) => {
      working('orders');
      await new Promise<void>((resolve) => (finish = resolve));
      working('customers');
    });
    await until(() => status.snapshot().indexing !== undefined);
    expect(status.snapshot().indexing).toEqual({ collection: 'orders', since: expect.any(String) });
    finish();
    await until(() => status.snapshot().indexing?.collection !== 'orders');
    await first.done;
    expect(status.snapshot().indexing).toBeUndefined();

    const failing = indexes(async (working) => {
      working('orders');
      throw new Error('no such function: json_extract');
    });
    await failing.first.done;
    expect(failing.status.snapshot().indexing).toBeUndefined();
  });

  it('reports a failure that is not retried, once', async () => {
    const { first, failures } = indexes(async () => {
      throw new Error('no such function: json_extract');
    });
    await first.done;
    expect(failures).toEqual([new Error('no such function: json_extract')]);
  });
});
