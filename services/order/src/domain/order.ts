import { conflict, Decider, invalid, notFound, ruleViolation } from '@lp/eventsourcing';
import { termOfLegacyLine } from '@lp/integration-events';
import { needsTenant } from './catalog';
import { OrderCreatedData, OrderEvent, OrderLine, OrderStatus, PlacementStatus } from './order-events';

/** What the order service knows of a tenant, from provisioning's events (its local projection). */
export interface TenantView {
  tenantId: string;
  customerId: string;
  mcaAccepted: boolean;
}

export type OrderCommand =
  | { type: 'CreateOrder'; order: Omit<OrderCreatedData, 'subject' | 'subjectForForms'> & { subject?: string; subjectForForms?: string } }
  | { type: 'AcceptOrder'; acceptedOn: string }
  | { type: 'RevokeAcceptance' }
  | { type: 'SelectProvisioningTarget'; tenant: TenantView }
  /** customerTenants: every tenant of the order's customer, so the decider can refuse a silent default. */
  | { type: 'PlaceOrder'; lineIds?: string[]; placedOn: string; customerTenants: TenantView[] }
  | { type: 'CancelOrder'; cancelledOn: string }
  | { type: 'DeleteOrder' };

export interface OrderLineState extends OrderLine {
  placementStatus: PlacementStatus;
  placedOn?: string;
  tenantId?: string;
}

export type OrderState =
  | { status: 'NONE' }
  | {
      status: OrderStatus;
      orderId: string;
      resellerId: string;
      customerId: string;
      orderNumber: string;
      /** Printed on invoices; carried on placement so billing needs no other source. */
      purchaseOrderNumber?: string;
      endUserOrderNumber?: string;
      tenantId?: string;
      lines: OrderLineState[];
    };
type ExistingOrder = Exclude<OrderState, { status: 'NONE' }>;

const SUBJECT_MAX = 200;

/** 商品名から生成: the distinct product names in line order. */
export function subjectFromProducts(lines: Pick<OrderLine, 'productName'>[]): string {
  const subject = [...new Set(lines.map((line) => line.productName))].join('、');
  return subject.length > SUBJECT_MAX ? `${subject.slice(0, SUBJECT_MAX - 1)}…` : subject;
}

function requireOrder(state: OrderState): ExistingOrder {
  if (state.status === 'NONE') throw conflict('INVALID_STATE', 'The order does not exist');
  return state;
}

function requireStatus(order: ExistingOrder, allowed: OrderStatus[], action: string): void {
  if (!allowed.includes(order.status)) {
    throw conflict('INVALID_STATE', `Cannot ${action} an order in status ${order.status}`);
  }
}

const anyPlaced = (order: ExistingOrder) => order.lines.some((line) => line.placementStatus === 'PLACED');

function refuseIfPlaced(order: ExistingOrder, action: string): void {
  if (anyPlaced(order)) throw conflict('ALREADY_PLACED', `Cannot ${action}: lines of this order are already placed`);
}

function createOrder(command: Extract<OrderCommand, { type: 'CreateOrder' }>, state: OrderState): OrderEvent[] {
  if (state.status !== 'NONE') throw conflict('ALREADY_EXISTS', 'The order already exists');
  const { order } = command;
  const errors = [];
  if (order.lines.length === 0) errors.push({ path: 'lines', message: 'at least one line is required' });
  order.lines.forEach((line, index) => {
    if (!Number.isInteger(line.quantity) || line.quantity < 1) {
      errors.push({ path: `lines[${index}].quantity`, message: 'must be an integer of at least 1' });
    }
  });
  if (!order.purchaseOrderNumber?.trim() && order.lines.some((line) => line.channel === 'StreamOne')) {
    errors.push({ path: 'purchaseOrderNumber', message: 'is required when a line is sold through StreamOne (発注番号)' });
  }
  if (errors.length) throw invalid(errors);
  const subject = order.subject?.trim() || subjectFromProducts(order.lines);
  const subjectForForms = order.subjectForForms?.trim() || subject;
  return [{ type: 'OrderCreated', data: { ...order, subject, subjectForForms } }];
}

function resolveTenant(order: ExistingOrder, customerTenants: TenantView[]): TenantView {
  const ofCustomer = customerTenants.filter((tenant) => tenant.customerId === order.customerId);
  if (order.tenantId) {
    const chosen = ofCustomer.find((tenant) => tenant.tenantId === order.tenantId);
    if (chosen) return chosen;
  }
  if (ofCustomer.length === 1 && !order.tenantId) return ofCustomer[0];
  throw ruleViolation(
    'TENANT_REQUIRED',
    ofCustomer.length === 0
      ? 'Microsoft lines need a tenant of the customer; register one first'
      : 'The customer has several tenants; select the provisioning target first',
  );
}

function placeOrder(command: Extract<OrderCommand, { type: 'PlaceOrder' }>, state: OrderState): OrderEvent[] {
  const order = requireOrder(state);
  requireStatus(order, ['ACCEPTED', 'PARTIALLY_PLACED'], 'place');
  const unknown = (command.lineIds ?? []).filter((id) => !order.lines.some((line) => line.lineId === id));
  if (unknown.length) {
    // As for an unknown order: "not found", the same whether the id exists elsewhere or nowhere.
    throw notFound('LINE_NOT_FOUND', `Not lines of this order: ${unknown.join(', ')}`);
  }
  const chosen = command.lineIds?.length
    ? order.lines.filter((line) => command.lineIds!.includes(line.lineId))
    : order.lines.filter((line) => line.placementStatus === 'UNPLACED');
  const alreadyPlaced = chosen.filter((line) => line.placementStatus === 'PLACED');
  if (alreadyPlaced.length) throw conflict('LINE_ALREADY_PLACED', `Lines already placed: ${alreadyPlaced.map((l) => l.lineId).join(', ')}`);

  let tenantId: string | undefined;
  if (chosen.some(needsTenant)) {
    const tenant = resolveTenant(order, command.customerTenants);
    if (!tenant.mcaAccepted) {
      throw ruleViolation('MCA_NOT_ACCEPTED', 'The customer has not accepted the Microsoft Customer Agreement for this tenant');
    }
    tenantId = tenant.tenantId;
  }
  const unplacedAfter = order.lines.filter((line) => line.placementStatus === 'UNPLACED' && !chosen.includes(line));
  return [
    {
      type: 'OrderPlaced',
      data: {
        orderId: order.orderId,
        resellerId: order.resellerId,
        customerId: order.customerId,
        orderNumber: order.orderNumber,
        purchaseOrderNumber: order.purchaseOrderNumber,
        endUserOrderNumber: order.endUserOrderNumber,
        placedOn: command.placedOn,
        // OrderPlaced v2: every line states its term (lines of orders created before terms travelled get theirs derived).
        lines: chosen.map(({ placementStatus: _s, placedOn: _p, tenantId: _t, ...orderLine }) => {
          const line = { ...orderLine, term: termOfLegacyLine(orderLine) };
          return needsTenant(line) ? { ...line, tenantId } : line;
        }),
        fullyPlaced: unplacedAfter.length === 0,
      },
    },
  ];
}

export const orderDecider: Decider<OrderCommand, OrderEvent, OrderState> = {
  initialState: () => ({ status: 'NONE' }),

  decide(command, state) {
    switch (command.type) {
      case 'CreateOrder':
        return createOrder(command, state);
      case 'AcceptOrder': {
        const order = requireOrder(state);
        requireStatus(order, ['APPLIED'], 'accept');
        const { orderId, resellerId, customerId, orderNumber } = order;
        return [{ type: 'OrderAccepted', data: { orderId, resellerId, customerId, orderNumber, acceptedOn: command.acceptedOn } }];
      }
      case 'RevokeAcceptance': {
        const order = requireOrder(state);
        refuseIfPlaced(order, 'revoke the acceptance');
        requireStatus(order, ['ACCEPTED'], 'revoke the acceptance of');
        return [{ type: 'OrderAcceptanceRevoked', data: { orderId: order.orderId } }];
      }
      case 'SelectProvisioningTarget': {
        const order = requireOrder(state);
        requireStatus(order, ['APPLIED', 'ACCEPTED', 'PARTIALLY_PLACED'], 'select the provisioning target of');
        if (command.tenant.customerId !== order.customerId) {
          throw ruleViolation('TENANT_NOT_OF_CUSTOMER', "The tenant does not belong to the order's customer");
        }
        if (order.tenantId === command.tenant.tenantId) return [];
        return [{ type: 'ProvisioningTargetSelected', data: { orderId: order.orderId, tenantId: command.tenant.tenantId } }];
      }
      case 'PlaceOrder':
        return placeOrder(command, state);
      case 'CancelOrder': {
        const order = requireOrder(state);
        refuseIfPlaced(order, 'cancel');
        requireStatus(order, ['APPLIED', 'ACCEPTED'], 'cancel');
        const { orderId, resellerId, customerId, orderNumber } = order;
        return [{ type: 'OrderCancelled', data: { orderId, resellerId, customerId, orderNumber, cancelledOn: command.cancelledOn } }];
      }
      case 'DeleteOrder': {
        const order = requireOrder(state);
        requireStatus(order, ['APPLIED'], 'delete');
        return [{ type: 'OrderDeleted', data: { orderId: order.orderId } }];
      }
    }
  },

  evolve(state, event) {
    if (event.type === 'OrderCreated') {
      const { orderId, resellerId, customerId, orderNumber, purchaseOrderNumber, endUserOrderNumber, lines } = event.data;
      return {
        status: 'APPLIED',
        ...{ orderId, resellerId, customerId, orderNumber, purchaseOrderNumber, endUserOrderNumber },
        lines: lines.map((line) => ({ ...line, placementStatus: 'UNPLACED' })),
      };
    }
    if (state.status === 'NONE') return state;
    switch (event.type) {
      case 'OrderAccepted':
        return { ...state, status: 'ACCEPTED' };
      case 'OrderAcceptanceRevoked':
        return { ...state, status: 'APPLIED' };
      case 'ProvisioningTargetSelected':
        return { ...state, tenantId: event.data.tenantId };
      case 'OrderPlaced': {
        const placed = new Map(event.data.lines.map((line) => [line.lineId, line]));
        return {
          ...state,
          status: event.data.fullyPlaced ? 'PLACED' : 'PARTIALLY_PLACED',
          tenantId: state.tenantId ?? event.data.lines.find((line) => line.tenantId)?.tenantId,
          lines: state.lines.map((line) =>
            placed.has(line.lineId)
              ? { ...line, placementStatus: 'PLACED', placedOn: event.data.placedOn, tenantId: placed.get(line.lineId)!.tenantId }
              : line,
          ),
        };
      }
      case 'OrderCancelled':
        return { ...state, status: 'CANCELLED' };
      case 'OrderDeleted':
        return { ...state, status: 'DELETED' };
    }
  },
};

export const orderStreamId = (orderId: string) => `order-${orderId}`;
