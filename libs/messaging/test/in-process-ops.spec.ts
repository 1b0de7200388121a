import { deadLettersOf, groupOffsetsOf } from '@lp/messaging';
import { InProcessEventBus } from '@lp/messaging/in-process';
import { deadLettersContract } from './dead-letters.contract';
import { groupOffsetsContract } from './group-offsets.contract';

deadLettersContract('InProcessEventBus', async () => {
  const bus = new InProcessEventBus({ filename: ':memory:', partitions: 2, retryDelaysMs: [1, 2] });
  return { bus, deadLetters: deadLettersOf(bus)!, topic: 'order.events', group: (name) => name };
});

groupOffsetsContract('InProcessEventBus', async () => {
  const bus = new InProcessEventBus({ filename: ':memory:', partitions: 2 });
  return { bus, offsets: groupOffsetsOf(bus)!, topic: 'order.events', groupId: 'billing' };
});
