import { customerFilter, dateRange, ListPage, statusFilter, textFilter } from '../components/ListPage';
import { StatusBadge } from '../components/StatusBadge';
import { CONTRACT_STATUSES } from '../lib/labels';
import { Contract } from '../lib/types';

/** 契約一覧 (seeds 000, 001): 20 a page; a contract that does not bill is greyed out. */
export default function Contracts() {
  return (
    <ListPage<Contract>
      title="契約一覧"
      path="/contracts"
      pageSize={20}
      csvName="契約一覧"
      filters={[statusFilter(CONTRACT_STATUSES), customerFilter, ...dateRange('契約日'), textFilter]}
      rowLink={(c) => `/contracts/${c.id}`}
      greyed={(c) => !c.billing}
      columns={[
        { label: '契約ステータス', value: (c) => c.statusLabel, render: (c) => <StatusBadge status={c.status} label={c.statusLabel} /> },
        { label: '契約番号', value: (c) => c.contractNumber },
        { label: '顧客(会社名)', value: (c) => c.customerCompanyName },
        { label: '商品(商品名)', value: (c) => c.productNames.join(' / ') },
        { label: '件名', value: (c) => c.subject },
        { label: '開始日', value: (c) => c.startDate },
        { label: '終了日', value: (c) => c.endDate },
        { label: '解約日', value: (c) => c.cancelledOn },
        { label: '課金', value: (c) => (c.billing ? '課金中' : '課金なし') },
      ]}
    />
  );
}
