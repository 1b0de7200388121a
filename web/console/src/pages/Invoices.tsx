import { customerFilter, ListPage, textFilter } from '../components/ListPage';
import { yen } from '../lib/format';
import { INVOICE_KINDS } from '../lib/labels';
import { Invoice } from '../lib/types';

/** 請求書一覧: 20 a page. */
export default function Invoices() {
  return (
    <ListPage<Invoice>
      title="請求書一覧"
      path="/invoices"
      pageSize={20}
      csvName="請求書一覧"
      filters={[customerFilter, { kind: 'month', key: 'month', label: '請求月' }, { kind: 'select', key: 'kind', label: '種別', options: INVOICE_KINDS }, textFilter]}
      rowLink={(i) => `/invoices/${i.id}`}
      columns={[
        { label: '請求書番号', value: (i) => i.number },
        { label: '種別', value: (i) => INVOICE_KINDS[i.kind as keyof typeof INVOICE_KINDS] ?? i.kind },
        { label: '顧客(会社名)', value: (i) => i.recipientName },
        { label: '対象月', value: (i) => i.periodLabel },
        { label: '小計(税別)', value: (i) => i.subtotal, render: (i) => yen(i.subtotal) },
        { label: '消費税', value: (i) => i.tax, render: (i) => yen(i.tax) },
        { label: '合計', value: (i) => i.total, render: (i) => yen(i.total) },
        { label: '発行日', value: (i) => i.issuedOn },
      ]}
    />
  );
}
