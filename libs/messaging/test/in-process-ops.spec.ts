import { InProcessEventBus, deadLettersOf } from '@lp/messaging';
import { deadLettersContract } from './dead-letters.contract';

deadLettersContract('InProcessEventBus', async () => {
  const bus = new InProcessEventBus({ filename: ':memory:', partitions: 2, retryDelaysMs: [1, 2] });
  return { bus, deadLetters: deadLettersOf(bus)!, topic: 'order.events', group: (name) => name };
});
