import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { ArrayMaxSize, IsArray, IsBoolean, IsIn, IsInt, IsNotEmpty, IsOptional, IsString, ValidateNested } from 'class-validator';
import { IsBusinessDate, PageQueryDto } from '@lp/platform';
import { CONTRACT_CHANGE_STATUS_LABELS, CONTRACT_CHANGE_TYPE_LABELS } from '../../domain/contract-change';

/** A contract line and a quantity; whether the quantity is in range is a rule (422 QUANTITY_OUT_OF_RANGE), not a format. */
export class ChangeLineDto {
  @ApiProperty() @IsString() @IsNotEmpty() lineId!: string;
  @ApiProperty() @IsInt() quantity!: number;
}

/** 解約手続き (api.md: POST /contracts/:id/cancellations): chosen lines with the seats to cancel, or all: true (全選択). */
export class RequestCancellationDto {
  @ApiPropertyOptional({ type: [ChangeLineDto], description: 'seats to cancel per line (1 … current; fewer = a reduction)' })
  @IsOptional() @IsArray() @ArrayMaxSize(100) @ValidateNested({ each: true }) @Type(() => ChangeLineDto)
  lines?: ChangeLineDto[];
  @ApiPropertyOptional({ description: '全選択: every active line in full (refused when a trial product is among them)' })
  @IsOptional() @IsBoolean()
  all?: boolean;
  @ApiPropertyOptional({ example: '2026-06-10', description: 'default: today in Asia/Tokyo' }) @IsOptional() @IsBusinessDate() requestedOn?: string;
}

/** POST /contracts/:id/quantity-changes: the NEW quantity per line; all above → ADD 追加, all below → CHANGE 数量・商品変更. */
export class RequestQuantityChangeDto {
  @ApiProperty({ type: [ChangeLineDto], description: 'the new quantity per line' })
  @IsArray() @ArrayMaxSize(100) @ValidateNested({ each: true }) @Type(() => ChangeLineDto)
  lines!: ChangeLineDto[];
  @ApiPropertyOptional({ example: '2026-06-10', description: 'default: today in Asia/Tokyo' }) @IsOptional() @IsBusinessDate() requestedOn?: string;
}

/** 解約連携 and its quantity-change counterpart. */
export class LinkChangeDto {
  @ApiPropertyOptional({ type: [String], description: 'contract line ids; default: every line not linked yet' })
  @IsOptional() @IsArray() @IsString({ each: true })
  lineIds?: string[];
}

/** 解約確定. */
export class ConfirmCancellationDto {
  @ApiProperty({ example: '2026-06-30', description: '契約終了日' }) @IsBusinessDate() endDate!: string;
  @ApiPropertyOptional({ description: 'confirm although the vendor has not confirmed (after the SUPPLIER_NOT_CONFIRMED warning)' })
  @IsOptional() @IsBoolean()
  force?: boolean;
}

export class ConfirmQuantityChangeDto {
  @ApiPropertyOptional({ example: '2026-07-01', description: 'when the new quantity takes effect; default: today in Asia/Tokyo' })
  @IsOptional() @IsBusinessDate()
  effectiveOn?: string;
  @ApiPropertyOptional({ description: 'confirm although the vendor has not confirmed' }) @IsOptional() @IsBoolean() force?: boolean;
}

export class ContractChangeListQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ enum: Object.keys(CONTRACT_CHANGE_TYPE_LABELS) }) @IsOptional() @IsIn(Object.keys(CONTRACT_CHANGE_TYPE_LABELS)) type?: string;
  @ApiPropertyOptional({ enum: Object.keys(CONTRACT_CHANGE_STATUS_LABELS) }) @IsOptional() @IsIn(Object.keys(CONTRACT_CHANGE_STATUS_LABELS)) status?: string;
  @ApiPropertyOptional() @IsOptional() @IsString() contractId?: string;
  @ApiPropertyOptional() @IsOptional() @IsString() customerId?: string;
  @ApiPropertyOptional({ description: 'request date from (inclusive)' }) @IsOptional() @IsBusinessDate() from?: string;
  @ApiPropertyOptional({ description: 'request date to (inclusive)' }) @IsOptional() @IsBusinessDate() to?: string;
}
