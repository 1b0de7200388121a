import { Logger } from '@nestjs/common';
import { CommandHandler, contextCausedBy, EventEnvelope, EventStore } from '@lp/eventsourcing';
import {
  SubscriptionCancellationRefused,
  SubscriptionCancelled,
  SubscriptionChangeFailed,
  SubscriptionQuantityChanged,
  TOPICS,
} from '@lp/integration-events';
import { EventBus } from '@lp/messaging';
import { todayInTokyo } from '@lp/platform';
import { BusReactor } from '@lp/runtime';
import { changeStreamId, ContractChangeCommand, contractChangeDecider } from '../domain/contract-change';

export const VENDOR_ANSWERS_GROUP = 'contract.vendor-answers';
const logger = new Logger(VENDOR_ANSWERS_GROUP);

type VendorAnswer = SubscriptionCancelled | SubscriptionQuantityChanged | SubscriptionCancellationRefused | SubscriptionChangeFailed;

/** What provisioning's answer means for the change line of its subscription. */
export function vendorAnswerCommand(answer: VendorAnswer): ContractChangeCommand {
  switch (answer.type) {
    case 'SubscriptionCancelled':
      return { type: 'RecordVendorConfirmation', subscriptionId: answer.data.subscriptionId, confirmedOn: todayInTokyo(new Date(answer.data.cancelledAt)) };
    case 'SubscriptionQuantityChanged':
      return { type: 'RecordVendorConfirmation', subscriptionId: answer.data.subscriptionId, confirmedOn: todayInTokyo(new Date(answer.data.changedAt)) };
    case 'SubscriptionCancellationRefused':
    case 'SubscriptionChangeFailed':
      return { type: 'RecordVendorRefusal', subscriptionId: answer.data.subscriptionId, reason: answer.data.reason };
  }
}

/**
 * Provisioning's answers to a linked change (provisioning.events) → the change's line: the vendor
 * confirmed (解約確定 no longer needs force) or refused (the change shows why). Each answer carries
 * the change id, so it lands on `contractChange-<changeId>`; the decider ignores a redelivery.
 */
export function vendorAnswersProcessManager(store: EventStore, bus: EventBus, now: () => Date = () => new Date()): BusReactor {
  const changes = new CommandHandler(store, contractChangeDecider);
  return new BusReactor({
    name: VENDOR_ANSWERS_GROUP,
    bus,
    groupId: VENDOR_ANSWERS_GROUP,
    topics: [TOPICS.provisioning],
    eventTypes: ['SubscriptionCancelled', 'SubscriptionQuantityChanged', 'SubscriptionCancellationRefused', 'SubscriptionChangeFailed'],
    async handle(envelope) {
      const answer = envelope as EventEnvelope<VendorAnswer>;
      const streamId = changeStreamId(answer.data.changeId);
      // The change exists before it can be linked; an answer for an unknown change was not asked by this service.
      if ((await store.readStream(streamId, { maxCount: 1 })).length === 0) {
        logger.warn(`${answer.type} for unknown contract change ${answer.data.changeId} (event ${envelope.eventId}): ignored`);
        return;
      }
      await changes.handle(streamId, vendorAnswerCommand(answer), contextCausedBy(envelope, VENDOR_ANSWERS_GROUP, now()));
    },
  });
}
