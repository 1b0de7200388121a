import { CommandContext, DocumentNumbers, EventStore } from '@lp/eventsourcing';

/**
 * Order numbers (`NOD` + yyyyMM of the order date + `-` + 10-digit sequence, e.g.
 * NOD202107-0000007551) from the event store: see DocumentNumbers. The streams and events are
 * those written before the generalisation (`orderNumberSequence` / OrderNumberSequenceAdvanced
 * { orderId }, `orderNumber-<n>` / OrderNumberReserved { orderNumber, orderId, reservationId }),
 * so existing stores keep their sequence and reservations.
 */
export class OrderNumbers {
  private readonly numbers: DocumentNumbers;

  constructor(store: EventStore) {
    this.numbers = new DocumentNumbers(store, { prefix: 'NOD', document: 'order', duplicateCode: 'DUPLICATE_ORDER_NUMBER' });
  }

  next(orderDate: string, orderId: string, context: CommandContext): Promise<string> {
    return this.numbers.next(orderDate, orderId, context);
  }

  /** Claims a number given by hand; 409 DUPLICATE_ORDER_NUMBER when it is taken. */
  reserve(orderNumber: string, orderId: string, context: CommandContext): Promise<void> {
    return this.numbers.reserve(orderNumber, orderId, context);
  }
}
