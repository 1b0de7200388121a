import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsBoolean, IsIn, IsInt, IsNotEmpty, IsOptional, IsString, Max, MaxLength, Min } from 'class-validator';
import { PageQueryDto } from '@lp/platform';
import { SUBSCRIPTION_STATUS_LABELS } from '../domain/subscription';

/** GET /provisioning/subscriptions; q searches sku, product name and vendor subscription id. */
export class SubscriptionListQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ enum: Object.keys(SUBSCRIPTION_STATUS_LABELS) }) @IsOptional() @IsIn(Object.keys(SUBSCRIPTION_STATUS_LABELS)) status?: string;
  @ApiPropertyOptional() @IsOptional() @IsString() @IsNotEmpty() customerId?: string;
  @ApiPropertyOptional() @IsOptional() @IsString() @IsNotEmpty() orderId?: string;
}

/** POST /ops/vendor-simulators/:name/failures: the next `count` vendor calls fail. */
export class InjectFailuresDto {
  @ApiProperty({ minimum: 1, example: 2 }) @Type(() => Number) @IsInt() @Min(1) @Max(1000) count!: number;
  @ApiPropertyOptional({ default: true, description: 'false: the vendor refuses (no retry)' }) @IsOptional() @IsBoolean() retryable?: boolean;
  @ApiPropertyOptional({ example: 'Vendor unavailable (503)' }) @IsOptional() @IsString() @IsNotEmpty() @MaxLength(500) reason?: string;
}
