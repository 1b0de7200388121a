import { EnumField, IdField, IntField, MAX_YEN, MonthField, PageQueryDto, TextField } from '@lp/platform';

/** POST /billing/runs */
export class BillingRunDto {
  @MonthField({ description: 'the billing month: invoices dated its 1st' }) month!: string;
}

/** POST /billing/usage: imported usage of a usage-billed line (Azure plan). */
export class UsageDto {
  @TextField({ maxLength: 200, description: 'stable id of the record at its source: a re-import is charged once' }) usageId!: string;
  @IdField({ description: 'the contract line' }) lineId!: string;
  @MonthField({ description: 'the month the usage was consumed in (charged on the next month’s invoice)' }) month!: string;
  @IntField({ min: 0, max: MAX_YEN, description: 'integer yen, tax exclusive' }) amount!: number;
  @TextField({ maxLength: 200 }) description!: string;
}

export class InvoiceListQueryDto extends PageQueryDto {
  @IdField({ optional: true }) customerId?: string;
  @MonthField({ optional: true }) month?: string;
  @EnumField(['INVOICE', 'CREDIT_NOTE'], { optional: true }) kind?: string;
}
