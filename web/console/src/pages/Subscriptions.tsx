import { Text } from '@mantine/core';
import { customerFilter, ListPage, statusFilter, textFilter } from '../components/ListPage';
import { StatusBadge } from '../components/StatusBadge';
import { SubscriptionActions } from '../components/SubscriptionActions';
import { dateTime } from '../lib/format';
import { SUBSCRIPTION_STATUSES } from '../lib/labels';
import { Subscription } from '../lib/types';

/** プロビジョニング: one subscription per placed order line, with the vendor's id or the reason it failed. */
export default function Subscriptions() {
  return (
    <ListPage<Subscription>
      title="プロビジョニング"
      path="/provisioning/subscriptions"
      pageSize={20}
      csvName="プロビジョニング"
      filters={[statusFilter(SUBSCRIPTION_STATUSES), customerFilter, textFilter]}
      rowLink={(s) => `/subscriptions/${s.id}`}
      rowActions={(s, reload) => <SubscriptionActions subscription={s} onDone={reload} />}
      poll={(page) => page.items.some((s) => s.status === 'PROVISIONING')}
      columns={[
        { label: '顧客(会社名)', value: (s) => s.customerCompanyName },
        { label: '商品名', value: (s) => s.productName },
        { label: '数量', value: (s) => s.quantity },
        {
          label: 'ステータス',
          value: (s) => s.statusLabel,
          render: (s) => (
            <>
              <StatusBadge status={s.status} label={s.statusLabel} />
              {s.status === 'FAILED' ? (
                <Text size="xs" c="red">
                  {s.failureReason ?? s.lastAttemptError}
                </Text>
              ) : null}
            </>
          ),
        },
        { label: 'ベンダーサブスクリプションID', value: (s) => s.vendorSubscriptionId ?? s.productKey },
        { label: 'プロビジョニング日時', value: (s) => dateTime(s.provisionedAt) },
        { label: 'アクティベーション日時', value: (s) => dateTime(s.activatedAt) },
      ]}
    />
  );
}
