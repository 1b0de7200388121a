import { customerFilter, dateRange, ListPage, statusFilter, textFilter } from '../components/ListPage';
import { StatusBadge } from '../components/StatusBadge';
import { CHANGE_STATUSES, CHANGE_TYPES } from '../lib/labels';
import { ContractChange } from '../lib/types';

/** 契約変更一覧 (seed 001): 20 a page. */
export default function Changes() {
  return (
    <ListPage<ContractChange>
      title="契約変更一覧"
      path="/contract-changes"
      pageSize={20}
      csvName="契約変更一覧"
      filters={[statusFilter(CHANGE_STATUSES), { kind: 'select', key: 'type', label: '種別', options: CHANGE_TYPES }, customerFilter, ...dateRange('申込日'), textFilter]}
      rowLink={(c) => `/contract-changes/${c.id}`}
      columns={[
        { label: '契約番号', value: (c) => c.contractNumber },
        { label: '注文番号', value: (c) => c.orderNumber },
        { label: '種別', value: (c) => c.typeLabel },
        { label: 'ステータス', value: (c) => c.statusLabel, render: (c) => <StatusBadge status={c.status} label={c.statusLabel} /> },
        { label: '申込日', value: (c) => c.requestedOn },
        { label: '件名', value: (c) => c.subject },
        { label: '顧客(会社名)', value: (c) => c.customerCompanyName },
        { label: '利用者(会社名)', value: (c) => c.userCompanyName },
      ]}
    />
  );
}
