import { findHistoryGaps, HistoryLostError } from '@lp/messaging/kafka';

const range = (partition: number, low: number, high: number) => ({ topic: 'order.events', partition, low, high });

describe('findHistoryGaps', () => {
  it('a new group on a topic whose first messages expired has a gap from offset 0', () => {
    expect(findHistoryGaps([range(0, 0, 5), range(1, 3, 9)], new Map())).toEqual([{ topic: 'order.events', partition: 1, from: 0, low: 3 }]);
  });

  it('a group whose committed offset fell below the first message held has a gap from that offset', () => {
    expect(findHistoryGaps([range(0, 10, 20)], new Map([['order.events:0', 4]]))).toEqual([{ topic: 'order.events', partition: 0, from: 4, low: 10 }]);
  });

  it('a group at or past the first message held, or a topic that never expired anything, has none', () => {
    const committed = new Map([
      ['order.events:0', 10],
      ['order.events:1', -1], // the broker's "nothing committed"
    ]);
    expect(findHistoryGaps([range(0, 10, 20), range(1, 0, 7)], committed)).toEqual([]);
  });

  it('the refusal names the group and each missing offset range', () => {
    const error = new HistoryLostError('provisioning-known-customers-x', [{ topic: 'order.events', partition: 2, from: 0, low: 42 }]);
    expect(error.message).toMatch(/provisioning-known-customers-x cannot start/);
    expect(error.message).toMatch(/order\.events\[2\] offsets 0\.\.41/);
  });
});
