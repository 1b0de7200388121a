import { BooleanField, DateField, DocumentNumberField, EnumField, IdField, IdListField, PageQueryDto, TextField } from '@lp/platform';
import { CONTRACT_STATUS_LABELS } from '../../domain/contract';

/** 契約作成 (api.md: POST /contracts): placed lines of one order. */
export class CreateContractDto {
  @IdField({ description: "one of the reseller's orders; another reseller's or an unknown one → 404" }) orderId!: string;
  @IdListField({ minItems: 1, maxItems: 100, description: 'order line ids, placed and in no other contract' }) lineIds!: string[];
  @TextField({ maxLength: 200 }) subject!: string;
  @TextField({ maxLength: 200, description: '帳票用件名' }) subjectForForms!: string;
  @DateField() contractDate!: string;
  @TextField({ optional: true, maxLength: 100, description: '支払方法' }) paymentMethod?: string;
  @TextField({ optional: true, maxLength: 2000, description: '販売店備考' }) storeNotes?: string;
  @DocumentNumberField('NCN', { description: 'NCNyyyyMM-##########; blank → the next number (month of the contract date)' }) contractNumber?: string;
}

/** 契約確定 (api.md: POST /contracts/:id/confirm). */
export class ConfirmContractDto {
  @IdListField({ optional: true, maxItems: 100, description: 'contract line ids; default: every pending line' }) lineIds?: string[];
  @DateField({ optional: true, description: 'default: today in Asia/Tokyo' }) startDate?: string;
}

export class ContractListQueryDto extends PageQueryDto {
  @EnumField(Object.keys(CONTRACT_STATUS_LABELS), { optional: true }) status?: string;
  @IdField({ optional: true }) customerId?: string;
  @DateField({ optional: true, description: 'contract date from (inclusive)' }) from?: string;
  @DateField({ optional: true, description: 'contract date to (inclusive)' }) to?: string;
}

/** 自動更新 (api.md: PUT /contracts/:id/lines/:lineId/auto-renew). */
export class AutoRenewDto {
  @BooleanField({ description: 'on: the line renews at its term end; off: it ends on its term end date' }) autoRenew!: boolean;
}

/** A renewal run (api.md: POST /contracts/renewal-runs). */
export class RenewalRunDto {
  @DateField({ example: '2028-01-01', description: 'renews (or ends) every term that ended before this date' }) date!: string;
}
