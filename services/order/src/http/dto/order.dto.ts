import {
  DateField,
  DocumentNumberField,
  EnumField,
  IdField,
  IdListField,
  IntField,
  MAX_QUANTITY,
  NestedListField,
  PageQueryDto,
  TextField,
} from '@lp/platform';
import { CATALOG } from '../../domain/catalog';
import { ORDER_STATUS_LABELS } from '../../domain/order-events';

const SKUS = CATALOG.map((product) => product.sku);

export class OrderLineDto {
  @EnumField(SKUS, { example: 'MS-O365-E1', description: 'a product of the catalog (GET /products)' }) sku!: string;
  @IntField({ example: 3, min: 1, max: MAX_QUANTITY }) quantity!: number;
}

/** 注文作成 (api.md: POST /orders). */
export class CreateOrderDto {
  @IdField({ description: "one of the reseller's customers" }) customerId!: string;
  @NestedListField(OrderLineDto, { minItems: 1, maxItems: 100 }) lines!: OrderLineDto[];
  @DocumentNumberField('NOD', { description: 'NODyyyyMM-##########; blank → the next number' }) orderNumber?: string;
  @TextField({ optional: true, maxLength: 200, description: 'blank → generated from the product names' }) subject?: string;
  @TextField({ optional: true, maxLength: 200, description: 'blank → copy of subject' }) subjectForForms?: string;
  @DateField({ optional: true, description: 'default: today in Asia/Tokyo' }) orderDate?: string;
  @TextField({ optional: true, maxLength: 50, description: '発注番号; required when a line is sold through StreamOne' }) purchaseOrderNumber?: string;
  @TextField({ optional: true, maxLength: 50, description: 'エンドユーザー注文番号' }) endUserOrderNumber?: string;
}

export class AcceptOrderDto {
  @DateField({ optional: true, description: 'default: today in Asia/Tokyo' }) acceptedOn?: string;
}

export class ProvisioningTargetDto {
  @IdField({ description: "id of one of the customer's tenants" }) tenantId!: string;
}

export class PlaceOrderDto {
  @IdListField({ optional: true, maxItems: 100, description: 'order line ids; default: every unplaced line' }) lineIds?: string[];
  @DateField({ optional: true, description: 'default: today in Asia/Tokyo' }) placedOn?: string;
}

export class CancelOrderDto {
  @DateField({ optional: true, description: 'default: today in Asia/Tokyo' }) cancelledOn?: string;
}

export class OrderListQueryDto extends PageQueryDto {
  @EnumField(Object.keys(ORDER_STATUS_LABELS), { optional: true }) status?: string;
  @IdField({ optional: true }) customerId?: string;
  @DateField({ optional: true, description: 'order date from (inclusive)' }) from?: string;
  @DateField({ optional: true, description: 'order date to (inclusive)' }) to?: string;
}
