import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsEmail, IsNotEmpty, IsOptional, IsString, MaxLength, ValidateNested } from 'class-validator';
import { IsKatakana, IsPhoneNumber, IsPostalCode } from '@lp/platform';

export class ContactDto {
  @ApiProperty() @IsString() @IsNotEmpty() @MaxLength(100) name!: string;
  @ApiProperty({ example: '03-1234-5678' }) @IsPhoneNumber() phone!: string;
  @ApiProperty() @IsEmail() email!: string;
}

export class SecurityContactDto {
  @ApiProperty() @IsString() @IsNotEmpty() @MaxLength(100) name!: string;
  @ApiPropertyOptional() @IsOptional() @IsPhoneNumber() phone?: string;
  @ApiProperty() @IsEmail() email!: string;
}

export class AddressDto {
  @ApiProperty({ example: '1000001', description: '7 digits (a hyphen after the third is accepted)' }) @IsPostalCode() postalCode!: string;
  @ApiProperty({ example: '東京都' }) @IsString() @IsNotEmpty() @MaxLength(10) prefecture!: string;
  @ApiProperty({ example: '千代田区' }) @IsString() @IsNotEmpty() @MaxLength(50) city!: string;
  @ApiProperty() @IsString() @IsNotEmpty() @MaxLength(100) address1!: string;
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(100) address2?: string;
}

/** 販売先登録 (api.md: POST /customers). */
export class RegisterCustomerDto {
  @ApiProperty({ example: '株式会社サンプル' }) @IsString() @IsNotEmpty() @MaxLength(100) companyName!: string;
  @ApiProperty({ example: 'カブシキガイシャサンプル' }) @IsKatakana() @MaxLength(100) companyNameKana!: string;
  @ApiProperty({ example: '本社' }) @IsString() @IsNotEmpty() @MaxLength(100) siteName!: string;
  @ApiProperty({ type: ContactDto }) @ValidateNested() @Type(() => ContactDto) contact!: ContactDto;
  @ApiProperty({ type: AddressDto }) @ValidateNested() @Type(() => AddressDto) address!: AddressDto;
  @ApiPropertyOptional({ type: SecurityContactDto }) @IsOptional() @ValidateNested() @Type(() => SecurityContactDto) securityContact?: SecurityContactDto;
  @ApiPropertyOptional({ description: 'distributor staff only: the reseller the customer belongs to' })
  @IsOptional() @IsString() resellerId?: string;
}
