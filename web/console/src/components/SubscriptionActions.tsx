import { ActionButton } from './ActionButton';
import { post } from '../lib/api';
import { isDistributor, useSession } from '../lib/auth';
import { Subscription } from '../lib/types';

/** 再試行 of a FAILED subscription; アクティベーション of a manual one, for distributor staff only. */
export function SubscriptionActions({ subscription, onDone }: { subscription: Subscription; onDone: () => void }) {
  const session = useSession();
  const path = `/provisioning/subscriptions/${subscription.id}`;
  return (
    <>
      {subscription.status === 'FAILED' ? <ActionButton size="xs" label="再試行" run={() => post(`${path}/retry`)} onDone={onDone} /> : null}
      {subscription.status === 'MANUAL_PROVISIONING' && isDistributor(session) ? (
        <ActionButton
          size="xs"
          label="アクティベーション"
          confirm={`${subscription.productName}（${subscription.quantity}）をアクティベーションします。リセラーに通知メールが送られます。よろしいですか？`}
          run={() => post(`${path}/activate`)}
          onDone={onDone}
        />
      ) : null}
    </>
  );
}
