import { EventStore, foldEvents, RecordedEvent } from '@lp/eventsourcing';
import { SubscriptionActivated } from '@lp/integration-events';
import { MailMessage, Mailer, MailOutbox, noticeMessageId } from '@lp/notifications';
import { ResellerInfo } from '@lp/platform';
import { CheckpointStore } from '@lp/eventsourcing';
import { SubscriptionEvent, subscriptionDecider, subscriptionStreamId } from '../domain/subscription';

/**
 * The notice to the reseller (never the end user) that distributor staff activated a manually
 * provisioned subscription (domain.md, Provisioning). Pure apart from reading the subscription's
 * own stream for the product name: the same event always gives the same mail and Message-ID.
 */
export async function composeActivationNotice(
  event: RecordedEvent,
  store: EventStore,
  resellers: (resellerId: string) => ResellerInfo | undefined,
): Promise<MailMessage | null> {
  if (event.type !== 'SubscriptionActivated') return null;
  const data = (event as RecordedEvent<SubscriptionActivated>).data;
  const reseller = resellers(data.resellerId);
  if (!reseller?.noticeEmail) return null;
  const state = foldEvents(subscriptionDecider, (await store.readStream(subscriptionStreamId(data.subscriptionId))) as RecordedEvent<SubscriptionEvent>[]);
  const productName = state.status === 'NONE' ? data.sku : state.productName;
  return {
    to: reseller.noticeEmail,
    messageId: noticeMessageId(event.eventId),
    subject: `【アクティベーション完了のお知らせ】${productName}`,
    text: [
      `${reseller.name} ご担当者様`,
      '',
      'ご発注いただいた下記の商品のアクティベーションが完了しました。',
      '契約一覧から契約確定を行ってください。',
      '',
      `商品: ${productName} (${data.sku})`,
      `数量: ${data.quantity}`,
      `仕入元サブスクリプションID: ${data.vendorSubscriptionId}`,
      `サブスクリプションID: ${data.subscriptionId}`,
      `注文ID: ${data.orderId}`,
      `アクティベーション日時: ${data.activatedAt}`,
    ].join('\n'),
  };
}

/** The outbox that mails the activation notices (see MailOutbox: no notice lost or repeated by a crash). */
export function activationNoticeOutbox(options: {
  store: EventStore;
  checkpoints: CheckpointStore;
  mailer: Mailer;
  resellers: (resellerId: string) => ResellerInfo | undefined;
}): MailOutbox {
  const { store, checkpoints, mailer, resellers } = options;
  return new MailOutbox({
    name: 'provisioning.activation-notices',
    store,
    checkpoints,
    filter: { streamPrefixes: ['subscription-'] },
    eventTypes: ['SubscriptionActivated'],
    mailer,
    compose: (event) => composeActivationNotice(event, store, resellers),
  });
}
