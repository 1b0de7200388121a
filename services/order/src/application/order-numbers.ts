import { randomUUID } from 'crypto';
import { CommandContext, conflict, EventStore, withMetadata, WrongExpectedVersionError } from '@lp/eventsourcing';

const SEQUENCE_STREAM = 'orderNumberSequence';
const reservationStream = (orderNumber: string) => `orderNumber-${orderNumber}`;

/**
 * Order numbers from the event store itself, so they hold across replicas without another server:
 * - the sequence is the revision of an append-only stream (each append gets its own revision, so
 *   concurrent requests never share a number, and a number is never reused);
 * - every number, automatic or manual, is reserved by creating a stream named after it with
 *   expected revision 'no_stream', so a second claim fails atomically.
 */
export class OrderNumbers {
  constructor(private readonly store: EventStore) {}

  /** `NOD` + yyyyMM of the order date + `-` + 10-digit sequence, e.g. NOD202107-0000007551. */
  async next(orderDate: string, orderId: string, context: CommandContext): Promise<string> {
    const yyyymm = orderDate.slice(0, 7).replace('-', '');
    for (;;) {
      const issued = await this.store.appendToStream(
        SEQUENCE_STREAM,
        withMetadata([{ type: 'OrderNumberSequenceAdvanced', data: { orderId } }], context),
        { expectedRevision: 'any' },
      );
      const orderNumber = `NOD${yyyymm}-${String(issued.nextExpectedRevision + 1).padStart(10, '0')}`;
      // A manual number may already hold this value; skip it rather than fail the request.
      if (await this.tryReserve(orderNumber, orderId, context)) return orderNumber;
    }
  }

  /** Claims a number given by hand; 409 DUPLICATE_ORDER_NUMBER when it is taken. */
  async reserve(orderNumber: string, orderId: string, context: CommandContext): Promise<void> {
    if (!(await this.tryReserve(orderNumber, orderId, context))) {
      throw conflict('DUPLICATE_ORDER_NUMBER', `Order number ${orderNumber} is already used`);
    }
  }

  private async tryReserve(orderNumber: string, orderId: string, context: CommandContext): Promise<boolean> {
    try {
      await this.store.appendToStream(
        reservationStream(orderNumber),
        withMetadata([{ type: 'OrderNumberReserved', data: { orderNumber, orderId, reservationId: randomUUID() } }], context),
        { expectedRevision: 'no_stream' },
      );
      return true;
    } catch (error) {
      if (error instanceof WrongExpectedVersionError) return false;
      throw error;
    }
  }
}
