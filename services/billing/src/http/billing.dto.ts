import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsInt, IsNotEmpty, IsOptional, IsString, MaxLength, Min } from 'class-validator';
import { IsMonth, PageQueryDto } from '@lp/platform';

/** POST /billing/runs */
export class BillingRunDto {
  @ApiProperty({ example: '2026-06', description: 'the billing month: invoices dated its 1st' }) @IsMonth() month!: string;
}

/** POST /billing/usage: imported usage of a usage-billed line (Azure plan). */
export class UsageDto {
  @ApiProperty({ description: 'stable id of the record at its source: a re-import is charged once' }) @IsString() @IsNotEmpty() @MaxLength(200) usageId!: string;
  @ApiProperty({ description: 'the contract line' }) @IsString() @IsNotEmpty() lineId!: string;
  @ApiProperty({ example: '2026-06', description: 'the month the usage was consumed in (charged on the next month’s invoice)' }) @IsMonth() month!: string;
  @ApiProperty({ description: 'integer yen, tax exclusive' }) @IsInt() @Min(0) amount!: number;
  @ApiProperty() @IsString() @IsNotEmpty() @MaxLength(200) description!: string;
}

export class InvoiceListQueryDto extends PageQueryDto {
  @ApiPropertyOptional() @IsOptional() @IsString() customerId?: string;
  @ApiPropertyOptional({ example: '2026-06' }) @IsOptional() @IsMonth() month?: string;
  @ApiPropertyOptional({ enum: ['INVOICE', 'CREDIT_NOTE'] }) @IsOptional() @IsIn(['INVOICE', 'CREDIT_NOTE']) kind?: string;
}
