import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsEmail, IsNotEmpty, IsOptional, IsString, Matches, MaxLength } from 'class-validator';
import { IsBusinessDate, IsGuid, IsPhoneNumber } from '@lp/platform';

export class RegisterTenantDto {
  @ApiProperty({ description: 'Microsoft tenant id (GUID)', example: '7c9e6679-7425-40de-944b-e07fc1f90ae7' }) @IsGuid() tenantId!: string;
  @ApiProperty({ example: 'contoso.onmicrosoft.com' })
  @IsString() @MaxLength(253) @Matches(/^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,}$/i, { message: 'primaryDomain must be a domain name' })
  primaryDomain!: string;
}

/** MCA attestation (Partner Center: 顧客の同意を証明). */
export class AttestAgreementDto {
  @ApiProperty() @IsString() @IsNotEmpty() @MaxLength(50) firstName!: string;
  @ApiProperty() @IsString() @IsNotEmpty() @MaxLength(50) lastName!: string;
  @ApiProperty() @IsEmail() email!: string;
  @ApiPropertyOptional() @IsOptional() @IsPhoneNumber() phone?: string;
  @ApiProperty({ example: '2026-05-15', description: 'not in the future' }) @IsBusinessDate() acceptedOn!: string;
}

export class DirectAcceptanceDto {
  @ApiProperty({ example: '2026-05-15', description: 'not in the future' }) @IsBusinessDate() acceptedOn!: string;
}
