import { Type } from 'class-transformer';
import { BooleanField, EnumField, IdField, IntField, PageQueryDto, TextField } from '@lp/platform';
import { SUBSCRIPTION_STATUS_LABELS } from '../domain/subscription';

/** GET /provisioning/subscriptions; q searches sku, product name and vendor subscription id. */
export class SubscriptionListQueryDto extends PageQueryDto {
  @EnumField(Object.keys(SUBSCRIPTION_STATUS_LABELS), { optional: true }) status?: string;
  @IdField({ optional: true }) customerId?: string;
  @IdField({ optional: true }) orderId?: string;
}

/** POST /ops/vendor-simulators/:name/failures: the next `count` vendor calls fail. */
export class InjectFailuresDto {
  @IntField({ min: 1, max: 1000, example: 2 }) @Type(() => Number) count!: number;
  @BooleanField({ optional: true, description: 'false: the vendor refuses (no retry); default true' }) retryable?: boolean;
  @TextField({ optional: true, maxLength: 500, example: 'Vendor unavailable (503)' }) reason?: string;
}
