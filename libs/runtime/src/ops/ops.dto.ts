import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import { IsBoolean, IsIn, IsInt, IsISO8601, IsOptional, IsString, MaxLength, Min, MinLength } from 'class-validator';

/** `?maskPii=true` arrives as text. */
const booleanText = () => Transform(({ value }) => (value === 'true' ? true : value === 'false' ? false : value));
const INSTANT = { description: 'ISO 8601 instant, e.g. 2026-05-01T00:00:00Z' };

export class RebuildQueryDto {
  @ApiPropertyOptional({ description: 'false: answer 202 at once and follow the progress in GET /ops/projections (default true: answer when swapped)' })
  @IsOptional() @booleanText() @IsBoolean() wait?: boolean;
}

export class DeadLetterListQueryDto {
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(200) topic?: string;
  @ApiPropertyOptional({ description: 'consumer group that parked it' }) @IsOptional() @IsString() @MaxLength(200) groupId?: string;
  @ApiPropertyOptional({ description: 'message key (aggregate id)' }) @IsOptional() @IsString() @MaxLength(200) key?: string;
  @ApiPropertyOptional({ enum: ['parked', 'redriven', 'discarded', 'all'], default: 'parked' })
  @IsOptional() @IsIn(['parked', 'redriven', 'discarded', 'all']) status?: 'parked' | 'redriven' | 'discarded' | 'all';
  @ApiPropertyOptional({ default: 0 }) @IsOptional() @Type(() => Number) @IsInt() @Min(0) offset?: number;
  @ApiPropertyOptional({ default: 100 }) @IsOptional() @Type(() => Number) @IsInt() @Min(1) limit?: number;
}

export class RedriveDto {
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(200) topic?: string;
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(200) groupId?: string;
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(200) key?: string;
  @ApiPropertyOptional({ description: 'move at most this many (oldest first)' }) @IsOptional() @IsInt() @Min(1) stopAt?: number;
  @ApiPropertyOptional({ description: 'true moves them; absent or false only counts them (dry run)' }) @IsOptional() @IsBoolean() confirm?: boolean;
}

export class DiscardDto {
  @ApiProperty({ description: 'why it is dropped: kept in the ops journal' }) @IsString() @MinLength(3) @MaxLength(500) reason!: string;
}

export class RepublishDto {
  @ApiProperty({ example: 'order.events' }) @IsString() @MaxLength(200) topic!: string;
  @ApiPropertyOptional({ description: 'after this store position (exclusive)' }) @IsOptional() @IsInt() @Min(0) fromPosition?: number;
  @ApiPropertyOptional(INSTANT) @IsOptional() @IsISO8601() from?: string;
  @ApiPropertyOptional({ description: 'one stream only, e.g. order-<id>' }) @IsOptional() @IsString() @MaxLength(200) stream?: string;
  @ApiPropertyOptional({ description: 'true sends them; absent or false only counts them (dry run)' }) @IsOptional() @IsBoolean() confirm?: boolean;
}

export class RewindDto {
  @ApiPropertyOptional({ description: 'store reactors: the checkpoint to restart after; bus groups: the offset on every partition' })
  @IsOptional() @IsInt() @Min(0) toPosition?: number;
  @ApiPropertyOptional(INSTANT) @IsOptional() @IsISO8601() toInstant?: string;
  @ApiPropertyOptional({ description: 'true rewinds; absent or false only counts what would be handled again (dry run)' })
  @IsOptional() @IsBoolean() confirm?: boolean;
}

export class ExportQueryDto {
  @ApiProperty({ example: 'order.events' }) @IsString() @MaxLength(200) topic!: string;
  @ApiPropertyOptional(INSTANT) @IsOptional() @IsISO8601() from?: string;
  @ApiPropertyOptional({ description: 'ISO 8601 instant (exclusive)' }) @IsOptional() @IsISO8601() to?: string;
  @ApiPropertyOptional({ description: 'one stream, e.g. order-<id>' }) @IsOptional() @IsString() @MaxLength(200) stream?: string;
  @ApiPropertyOptional({ description: 'one event type, or several separated by commas' }) @IsOptional() @IsString() @MaxLength(2000) type?: string;
  @ApiPropertyOptional({ description: 'mask names, e-mail addresses, phone numbers and addresses (x-pii in the published schemas)' })
  @IsOptional() @booleanText() @IsBoolean() maskPii?: boolean;
}
