import { Button } from '@mantine/core';
import { Link } from 'react-router';
import { customerFilter, dateRange, ListPage, statusFilter, textFilter } from '../components/ListPage';
import { StatusBadge } from '../components/StatusBadge';
import { yen } from '../lib/format';
import { ORDER_STATUSES } from '../lib/labels';
import { Order } from '../lib/types';

/** 注文一覧 (seed 000): 30 a page. */
export default function Orders() {
  return (
    <ListPage<Order>
      title="注文一覧"
      path="/orders"
      pageSize={30}
      csvName="注文一覧"
      filters={[statusFilter(ORDER_STATUSES), customerFilter, ...dateRange('注文日'), textFilter]}
      rowLink={(o) => `/orders/${o.id}`}
      headerActions={
        <Button component={Link} to="/orders/new">
          注文作成
        </Button>
      }
      columns={[
        { label: 'ステータス', value: (o) => o.statusLabel, render: (o) => <StatusBadge status={o.status} label={o.statusLabel} /> },
        { label: '注文番号', value: (o) => o.orderNumber },
        { label: '顧客(会社名)', value: (o) => o.customerCompanyName },
        { label: '顧客(担当者)', value: (o) => o.customerContactName },
        { label: '件名', value: (o) => o.subject },
        { label: '注文金額', value: (o) => o.subtotal, render: (o) => yen(o.subtotal) },
        { label: '注文日', value: (o) => o.orderDate },
        { label: '受付日', value: (o) => o.acceptedOn },
      ]}
    />
  );
}
