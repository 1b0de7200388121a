import { Type } from 'class-transformer';
import { IntField, TextField } from '../validation/fields';

/** page counts from 1; each list endpoint has its own default page size (orders 30). */
export class PageQueryDto {
  @IntField({ optional: true, min: 1, max: 100_000, default: 1 }) @Type(() => Number) page = 1;
  @IntField({ optional: true, min: 1, max: 200 }) @Type(() => Number) pageSize?: number;
  @TextField({ optional: true, maxLength: 100, description: 'text search on number / subject' }) q?: string;
}
