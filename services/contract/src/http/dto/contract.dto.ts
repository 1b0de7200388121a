import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { ArrayMaxSize, ArrayMinSize, IsArray, IsIn, IsNotEmpty, IsOptional, IsString, MaxLength } from 'class-validator';
import { IsBusinessDate, PageQueryDto } from '@lp/platform';
import { CONTRACT_STATUS_LABELS } from '../../domain/contract';

/** 契約作成 (api.md: POST /contracts): placed lines of one order. */
export class CreateContractDto {
  @ApiProperty() @IsString() @IsNotEmpty() orderId!: string;
  @ApiProperty({ type: [String], description: 'order line ids, placed and in no other contract' })
  @IsArray() @ArrayMinSize(1) @ArrayMaxSize(100) @IsString({ each: true }) @IsNotEmpty({ each: true })
  lineIds!: string[];
  @ApiProperty() @IsString() @IsNotEmpty() @MaxLength(200) subject!: string;
  @ApiProperty({ description: '帳票用件名' }) @IsString() @IsNotEmpty() @MaxLength(200) subjectForForms!: string;
  @ApiProperty({ example: '2026-05-15' }) @IsBusinessDate() contractDate!: string;
  @ApiPropertyOptional({ description: '支払方法' }) @IsOptional() @IsString() @MaxLength(100) paymentMethod?: string;
  @ApiPropertyOptional({ description: '販売店備考' }) @IsOptional() @IsString() @MaxLength(2000) storeNotes?: string;
  @ApiPropertyOptional({ description: 'blank → NCNyyyyMM-########## (month of the contract date)' })
  @IsOptional() @IsString() @MaxLength(30)
  contractNumber?: string;
}

/** 契約確定 (api.md: POST /contracts/:id/confirm). */
export class ConfirmContractDto {
  @ApiPropertyOptional({ type: [String], description: 'contract line ids; default: every pending line' })
  @IsOptional() @IsArray() @IsString({ each: true })
  lineIds?: string[];
  @ApiPropertyOptional({ example: '2026-05-15', description: 'default: today in Asia/Tokyo' }) @IsOptional() @IsBusinessDate() startDate?: string;
}

export class ContractListQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ enum: Object.keys(CONTRACT_STATUS_LABELS) }) @IsOptional() @IsIn(Object.keys(CONTRACT_STATUS_LABELS)) status?: string;
  @ApiPropertyOptional() @IsOptional() @IsString() customerId?: string;
  @ApiPropertyOptional({ description: 'contract date from (inclusive)' }) @IsOptional() @IsBusinessDate() from?: string;
  @ApiPropertyOptional({ description: 'contract date to (inclusive)' }) @IsOptional() @IsBusinessDate() to?: string;
}
