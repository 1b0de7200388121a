import { ContractLineTerms } from '@lp/integration-events';

/*
 * What the contract service knows of other services: its local projections of their events,
 * handed to the decider inside commands (the decider does no I/O).
 */

/** A placed order line as the contract service learned it from OrderPlaced (and its subscription, once known). */
export type KnownPlacedLine = Omit<ContractLineTerms, 'lineId'>;

/** An order as the contract service knows it: the order reference and every line placed so far. */
export interface KnownOrder {
  orderId: string;
  orderNumber: string;
  resellerId: string;
  customerId: string;
  purchaseOrderNumber?: string;
  endUserOrderNumber?: string;
  placedLines: KnownPlacedLine[];
}

/** A subscription as the contract service knows it from provisioning's events (one per order line). */
export interface KnownSubscription {
  subscriptionId: string;
  orderLineId: string;
  /** Provisioning's status; only `ACTIVE` lets a line be confirmed. */
  status: string;
  /**
   * The business date (Asia/Tokyo) the vendor activated it: Partner Center's purchase, from which a
   * new-commerce licence's cancellation window counts (../nce-windows.ts). Unknown for rows recorded
   * before it was kept: the line's start date stands in.
   */
  activatedOn?: string;
}
