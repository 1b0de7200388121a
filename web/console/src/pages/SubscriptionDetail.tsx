import { useParams } from 'react-router';
import { Group, Stack, Title } from '@mantine/core';
import { Field, Fields } from '../components/Field';
import { History } from '../components/History';
import { ProblemAlert } from '../components/ProblemAlert';
import { StatusBadge } from '../components/StatusBadge';
import { SubscriptionActions } from '../components/SubscriptionActions';
import { dateTime } from '../lib/format';
import { Subscription } from '../lib/types';
import { useApi } from '../lib/use-api';

export default function SubscriptionDetail() {
  const { id } = useParams();
  const path = `/provisioning/subscriptions/${id}`;
  const { data: s, error, refresh: reload } = useApi<Subscription>(path, { pollMs: 1500, poll: (s) => s.status === 'PROVISIONING' });
  if (!s) return <ProblemAlert problem={error} />;
  return (
    <Stack>
      <Group>
        <Title order={2}>サブスクリプション {s.productName}</Title>
        <StatusBadge status={s.status} label={s.statusLabel} />
      </Group>
      <Group>
        <SubscriptionActions subscription={s} onDone={() => void reload()} />
      </Group>
      <Fields>
        <Field label="顧客(会社名)">{s.customerCompanyName}</Field>
        <Field label="提供元">{s.vendor}</Field>
        <Field label="商品コード">{s.sku}</Field>
        <Field label="数量">{s.quantity}</Field>
        <Field label="ベンダーサブスクリプションID">{s.vendorSubscriptionId}</Field>
        <Field label="プロダクトキー">{s.productKey}</Field>
        <Field label="解約可能期限">{s.cancellationAllowedUntil}</Field>
        <Field label="失敗理由">{s.failureReason ?? s.lastAttemptError}</Field>
        <Field label="プロビジョニング日時">{dateTime(s.provisionedAt)}</Field>
        <Field label="アクティベーション日時">{dateTime(s.activatedAt)}</Field>
      </Fields>
      <History key={s.status} path={path} />
    </Stack>
  );
}
