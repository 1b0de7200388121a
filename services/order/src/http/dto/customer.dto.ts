import { EmailField, IdField, KatakanaField, NestedField, PhoneField, PostalCodeField, TextField } from '@lp/platform';

export class ContactDto {
  @TextField({ maxLength: 100, example: '山田 太郎' }) name!: string;
  @PhoneField() phone!: string;
  @EmailField({ example: 'yamada@example.co.jp' }) email!: string;
}

export class SecurityContactDto {
  @TextField({ maxLength: 100 }) name!: string;
  @PhoneField({ optional: true }) phone?: string;
  @EmailField() email!: string;
}

export class AddressDto {
  @PostalCodeField({ description: '7 digits (a hyphen after the third is accepted)' }) postalCode!: string;
  @TextField({ maxLength: 10, example: '東京都' }) prefecture!: string;
  @TextField({ maxLength: 50, example: '千代田区' }) city!: string;
  @TextField({ maxLength: 100, example: '千代田1-1' }) address1!: string;
  @TextField({ optional: true, maxLength: 100 }) address2?: string;
}

/** 販売先登録 (api.md: POST /customers). */
export class RegisterCustomerDto {
  @TextField({ maxLength: 100, example: '株式会社サンプル' }) companyName!: string;
  @KatakanaField({ maxLength: 100, example: 'カブシキガイシャサンプル' }) companyNameKana!: string;
  @TextField({ maxLength: 100, example: '本社' }) siteName!: string;
  @NestedField(ContactDto) contact!: ContactDto;
  @NestedField(AddressDto) address!: AddressDto;
  @NestedField(SecurityContactDto, { optional: true }) securityContact?: SecurityContactDto;
  @IdField({ optional: true, description: "distributor staff: the reseller the customer belongs to (required); reseller staff: their own or absent. An unknown reseller → 404" })
  resellerId?: string;
}
