import { BooleanField, DateField, EnumField, IdField, IdListField, IntField, MAX_QUANTITY, NestedListField, PageQueryDto, TextField } from '@lp/platform';
import { CONTRACT_CHANGE_STATUS_LABELS, CONTRACT_CHANGE_TYPE_LABELS } from '../../domain/contract-change';

/** A contract line and a quantity; whether the quantity is in range is a rule (422 QUANTITY_OUT_OF_RANGE), not a format. */
export class ChangeLineDto {
  @IdField({ description: 'a line of this contract' }) lineId!: string;
  @IntField({ min: 0, max: MAX_QUANTITY }) quantity!: number;
}

/** 解約手続き (api.md: POST /contracts/:id/cancellations): chosen lines with the seats to cancel, or all: true (全選択). */
export class RequestCancellationDto {
  @NestedListField(ChangeLineDto, { optional: true, maxItems: 100, description: 'seats to cancel per line (1 … current; fewer = a reduction); or all: true' })
  lines?: ChangeLineDto[];
  @BooleanField({ optional: true, description: '全選択: every active line in full (refused when a trial product is among them)' }) all?: boolean;
  @DateField({ optional: true, example: '2026-06-10', description: 'default: today in Asia/Tokyo' }) requestedOn?: string;
}

/** POST /contracts/:id/quantity-changes: the NEW quantity per line; all above → ADD 追加, all below → CHANGE 数量・商品変更. */
export class RequestQuantityChangeDto {
  @NestedListField(ChangeLineDto, { minItems: 1, maxItems: 100, description: 'the new quantity per line' }) lines!: ChangeLineDto[];
  @DateField({ optional: true, example: '2026-06-10', description: 'default: today in Asia/Tokyo' }) requestedOn?: string;
}

/** 解約連携 and its quantity-change counterpart. */
export class LinkChangeDto {
  @IdListField({ optional: true, maxItems: 100, description: 'contract line ids; default: every line not linked yet' }) lineIds?: string[];
}

/** 解約確定. */
export class ConfirmCancellationDto {
  @DateField({ example: '2026-06-30', description: '契約終了日' }) endDate!: string;
  @BooleanField({ optional: true, description: 'confirm although the vendor has not confirmed (after the SUPPLIER_NOT_CONFIRMED warning)' }) force?: boolean;
}

export class ConfirmQuantityChangeDto {
  @DateField({ optional: true, example: '2026-07-01', description: 'when the new quantity takes effect; default: today in Asia/Tokyo' }) effectiveOn?: string;
  @BooleanField({ optional: true, description: 'confirm although the vendor has not confirmed' }) force?: boolean;
}

/** A line's next term (更新): its quantity (default: unchanged); the product stays. */
export class RenewalLineDto {
  @IdField({ description: 'a line of this contract with a term' }) lineId!: string;
  @IntField({ optional: true, min: 0, max: MAX_QUANTITY, description: "the next term's quantity; default: the current one" }) quantity?: number;
  @TextField({ optional: true, maxLength: 100, description: 'the product of the next term; only the current one (a product change is its own request)' }) sku?: string;
}

/** 契約更新手続き (api.md: POST /contracts/:id/renewals): changes for the lines' next term. */
export class RequestRenewalDto {
  @NestedListField(RenewalLineDto, { minItems: 1, maxItems: 100, description: 'lines with a term and their next term' }) lines!: RenewalLineDto[];
  @DateField({ optional: true, example: '2027-11-10', description: 'default: today in Asia/Tokyo' }) requestedOn?: string;
}

/** A line and the product it moves to (an upgrade listed in the catalog: Office 365 E1 → E3). */
export class ProductChangeLineDto {
  @IdField({ description: 'a line of this contract' }) lineId!: string;
  @TextField({ maxLength: 100, example: 'MS-O365-E3', description: 'the product to move to: same vendor and billing policy, listed as an upgrade' }) sku!: string;
  @IntField({ optional: true, min: 0, max: MAX_QUANTITY, description: 'the quantity with the new product; default: the current one' }) quantity?: number;
}

/** 数量・商品変更 to another product (api.md: POST /contracts/:id/product-changes). */
export class RequestProductChangeDto {
  @NestedListField(ProductChangeLineDto, { minItems: 1, maxItems: 100, description: 'lines and the products they move to' }) lines!: ProductChangeLineDto[];
  @DateField({ optional: true, example: '2026-08-10', description: 'default: today in Asia/Tokyo' }) requestedOn?: string;
}

/** The generic 確定 (POST /contract-changes/:id/confirm): the fields of the change's own type. */
export class ConfirmChangeDto {
  @DateField({ optional: true, example: '2026-06-30', description: 'cancellations: 契約終了日 (required for them, 422 END_DATE_REQUIRED)' }) endDate?: string;
  @DateField({ optional: true, example: '2026-07-01', description: 'adds and reductions: when the new quantity takes effect; default today' }) effectiveOn?: string;
  @BooleanField({ optional: true, description: 'confirm although the vendor has not confirmed (admin agents and the distributor)' }) force?: boolean;
}

export class ContractChangeListQueryDto extends PageQueryDto {
  @EnumField(Object.keys(CONTRACT_CHANGE_TYPE_LABELS), { optional: true }) type?: string;
  @EnumField(Object.keys(CONTRACT_CHANGE_STATUS_LABELS), { optional: true }) status?: string;
  @IdField({ optional: true }) contractId?: string;
  @IdField({ optional: true }) customerId?: string;
  @DateField({ optional: true, description: 'request date from (inclusive)' }) from?: string;
  @DateField({ optional: true, description: 'request date to (inclusive)' }) to?: string;
}
