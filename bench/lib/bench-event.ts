import { randomUUID } from 'crypto';
import { EventToAppend, newId } from '@lp/eventsourcing';

const actor = { id: 'u-bench-admin', name: 'Bench Admin', resellerId: 'r-direct', roles: ['admin-agent'] };

/** An event about the size of an order event (~600 bytes of JSON data), for the store and forwarder benches. */
export function benchEvent(type: string, orderId: string, n: number, correlationId: string): EventToAppend {
  return {
    // The product's event ids (time-ordered), so the store and forwarder benches append what it appends.
    eventId: newId(),
    type,
    schemaVersion: 1,
    occurredAt: new Date().toISOString(),
    correlationId,
    causationId: correlationId,
    actor,
    data: {
      orderId,
      n,
      customerId: 'c-0f8fad5b-d9cb-469f-a165-70867728950e',
      lines: [{ lineId: randomUUID(), sku: 'MS-O365-E1', productName: 'Office 365 E1', quantity: 3, unitPrice: 870, amount: 2610, billingPolicy: 'microsoft-csp-monthly' }],
      purchaseOrderNumber: 'PO-BENCH',
      note: 'x'.repeat(160),
    },
  };
}
