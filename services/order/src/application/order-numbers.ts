import { Claim, CommandContext, DocumentNumbers, EventStore } from '@lp/eventsourcing';
import { OrderCommand } from '../domain/order';

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

  /** The next number as a Claim for the order's CommandHandler: claimed in the order's own commit where the store can. */
  claimNext(orderDate: string, orderId: string, context: CommandContext): Claim<OrderCommand> {
    return this.numbers.claimNext(orderDate, orderId, context, withOrderNumber);
  }

  /** A number given by hand as a Claim; 409 DUPLICATE_ORDER_NUMBER when it is taken. */
  claimGiven(orderNumber: string, orderId: string, context: CommandContext): Claim<OrderCommand> {
    return this.numbers.claimGiven(orderNumber, orderId, context, withOrderNumber);
  }
}

/** The create command with its number (the other commands carry none). */
function withOrderNumber(command: OrderCommand, orderNumber: string): OrderCommand {
  return command.type === 'CreateOrder' ? { ...command, order: { ...command.order, orderNumber } } : command;
}
