import { DateField, DomainField, EmailField, GuidField, PhoneField, TextField } from '@lp/platform';

export class RegisterTenantDto {
  @GuidField({ description: 'Microsoft tenant id (GUID); once per reseller', example: '7c9e6679-7425-40de-944b-e07fc1f90ae7' }) tenantId!: string;
  @DomainField({ example: 'contoso.onmicrosoft.com' }) primaryDomain!: string;
}

/** MCA attestation (Partner Center: 顧客の同意を証明). */
export class AttestAgreementDto {
  @TextField({ maxLength: 50 }) firstName!: string;
  @TextField({ maxLength: 50 }) lastName!: string;
  @EmailField() email!: string;
  @PhoneField({ optional: true }) phone?: string;
  @DateField({ description: 'not in the future' }) acceptedOn!: string;
}

export class DirectAcceptanceDto {
  @DateField({ description: 'not in the future' }) acceptedOn!: string;
}
