/**
 * problem+json codes in the words of the seed manuals; a code without a sentence here shows the
 * server's detail (or title), so no refusal is ever silent.
 */
const MESSAGES: Record<string, string> = {
  SUPPLIER_NOT_CONFIRMED: '仕入元で解約処理が確定されていません。',
  ALREADY_LINKED: '発注済みの為、受付取消はできません。',
  ALREADY_PLACED: '発注済みの明細があるため、この操作はできません。',
  PROVISIONING_NOT_COMPLETE: 'プロビジョニングが完了していないため、契約確定できません。',
  MCA_NOT_ACCEPTED: 'Microsoft 顧客契約 (MCA) の同意が確認されていないため、発注できません。',
  TENANT_REQUIRED: 'MS CSP プロビジョニング情報（テナント）を選択してください。',
  TENANT_NOT_OF_CUSTOMER: 'このテナントは販売先のものではありません。',
  INDIRECT_RESELLER_CANNOT_ATTEST: '間接リセラーは MCA の同意を証明できません。ディストリビューターにご依頼ください。',
  DATE_IN_FUTURE: '未来の日付は指定できません。',
  DUPLICATE_ORDER_NUMBER: 'この注文番号は既に使われています。',
  DUPLICATE_CONTRACT_NUMBER: 'この契約番号は既に使われています。',
  DUPLICATE_TENANT: 'このテナントは既に登録されています。',
  LINE_NOT_PLACED: '未発注の明細からは契約を作成できません。',
  LINE_ALREADY_CONTRACTED: 'この明細の契約は既に作成されています。',
  TRIAL_IN_BULK_CANCELLATION: 'トライアル商品が含まれる場合は一括解約はできません。',
  LINE_NOT_ACTIVE: '契約中でない明細は変更できません。',
  QUANTITY_OUT_OF_RANGE: '数量が範囲外です。',
  QUANTITY_UNCHANGED: '数量が変わっていません。',
  NOT_LINKED: '解約連携が済んでいません。',
  VENDOR_REFUSED: '仕入元が解約を拒否したため、確定できません。',
  CANCELLATION_WINDOW_CLOSED: '解約可能期間を過ぎています。',
  REFUND_WINDOW_CLOSED: '返金可能期間を過ぎています。',
  FORCE_NOT_ALLOWED: '強制確定は管理エージェントのみ実行できます。',
  FORBIDDEN: 'この操作を行う権限がありません。',
  UNAUTHORIZED: 'サインインしてください（トークンが無効か期限切れです）。',
  NOT_FOUND: '見つかりません。',
  INVALID_STATE: '現在のステータスではこの操作はできません。',
  CONCURRENT_MODIFICATION: '他のユーザーが先に更新しました。画面を再読み込みしてください。',
  CHANGE_IN_PROGRESS: '処理中の契約変更があります。',
  VALIDATION_FAILED: '入力内容に誤りがあります。',
  USAGE_ALREADY_RECORDED: 'この使用量は既に取り込まれています。',
};

export interface ProblemBody {
  type?: string;
  title?: string;
  status?: number;
  detail?: string;
  code?: string;
  errors?: { path: string; message: string }[];
}

/** A refused call: the problem+json answer, readable as one Japanese sentence. */
export class Problem extends Error {
  constructor(readonly status: number, readonly body: ProblemBody) {
    super(messageOf(body, status));
  }
  get code() {
    return this.body.code;
  }
  /** Field path → messages, for the fields a 400 names. */
  fieldErrors(): Record<string, string> {
    const out: Record<string, string> = {};
    for (const error of this.body.errors ?? []) out[error.path] = out[error.path] ? `${out[error.path]} / ${error.message}` : error.message;
    return out;
  }
}

export function messageOf(body: ProblemBody, status: number): string {
  if (body.code && MESSAGES[body.code]) return MESSAGES[body.code];
  return body.detail || body.title || `エラーが発生しました (HTTP ${status})`;
}
