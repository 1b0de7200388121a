import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { ArrayMaxSize, ArrayMinSize, IsArray, IsIn, IsInt, IsNotEmpty, IsOptional, IsString, IsUUID, Max, MaxLength, Min, ValidateNested } from 'class-validator';
import { IsBusinessDate } from '@lp/platform';
import { ORDER_STATUS_LABELS } from '../../domain/order-events';
import { PageQueryDto } from '@lp/platform';

export class OrderLineDto {
  @ApiProperty({ example: 'MS-O365-E1' }) @IsString() @IsNotEmpty() sku!: string;
  @ApiProperty({ example: 3, minimum: 1 }) @IsInt() @Min(1) @Max(100000) quantity!: number;
}

/** 注文作成 (api.md: POST /orders). */
export class CreateOrderDto {
  @ApiProperty() @IsString() @IsNotEmpty() customerId!: string;
  @ApiProperty({ type: [OrderLineDto] })
  @IsArray() @ArrayMinSize(1) @ArrayMaxSize(100) @ValidateNested({ each: true }) @Type(() => OrderLineDto)
  lines!: OrderLineDto[];
  @ApiPropertyOptional({ description: 'blank → NODyyyyMM-##########' }) @IsOptional() @IsString() @MaxLength(30) orderNumber?: string;
  @ApiPropertyOptional({ description: 'blank → generated from the product names' }) @IsOptional() @IsString() @MaxLength(200) subject?: string;
  @ApiPropertyOptional({ description: 'blank → copy of subject' }) @IsOptional() @IsString() @MaxLength(200) subjectForForms?: string;
  @ApiPropertyOptional({ example: '2026-05-15', description: 'default: today in Asia/Tokyo' }) @IsOptional() @IsBusinessDate() orderDate?: string;
  @ApiPropertyOptional({ description: '発注番号; required when a line is sold through StreamOne' }) @IsOptional() @IsString() @MaxLength(50) purchaseOrderNumber?: string;
  @ApiPropertyOptional({ description: 'エンドユーザー注文番号' }) @IsOptional() @IsString() @MaxLength(50) endUserOrderNumber?: string;
}

export class AcceptOrderDto {
  @ApiPropertyOptional({ example: '2026-05-15' }) @IsOptional() @IsBusinessDate() acceptedOn?: string;
}

export class ProvisioningTargetDto {
  @ApiProperty({ description: 'id of one of the customer tenants' }) @IsString() @IsNotEmpty() tenantId!: string;
}

export class PlaceOrderDto {
  @ApiPropertyOptional({ description: 'default: every unplaced line' }) @IsOptional() @IsArray() @IsUUID('all', { each: true }) lineIds?: string[];
  @ApiPropertyOptional({ example: '2026-05-15' }) @IsOptional() @IsBusinessDate() placedOn?: string;
}

export class CancelOrderDto {
  @ApiPropertyOptional() @IsOptional() @IsBusinessDate() cancelledOn?: string;
}

export class OrderListQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ enum: Object.keys(ORDER_STATUS_LABELS) }) @IsOptional() @IsIn(Object.keys(ORDER_STATUS_LABELS)) status?: string;
  @ApiPropertyOptional() @IsOptional() @IsString() customerId?: string;
  @ApiPropertyOptional({ description: 'order date from (inclusive)' }) @IsOptional() @IsBusinessDate() from?: string;
  @ApiPropertyOptional({ description: 'order date to (inclusive)' }) @IsOptional() @IsBusinessDate() to?: string;
}
