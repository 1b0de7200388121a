/**
 * Headers the ops tools add to a message besides the envelope's own (events.md). A bus carries them
 * next to the value, never inside the envelope, so the event a consumer dedupes by stays the same.
 */
export type MessageHeaders = Record<string, string>;

/**
 * A re-driven dead letter is meant for the one consumer group that parked it: every other group on
 * the topic skips it (it handled the original message already). See dead-letters.ts for why a
 * header on the original topic rather than a retry topic per group.
 */
export const REDRIVE_GROUP_HEADER = 'redrive.groupId';
/** Which dead letter a re-driven message re-sends. */
export const REDRIVE_OF_HEADER = 'redrive.deadLetterId';
/** `true` on stored events re-sent for a new subscriber; existing consumers skip them by event id. */
export const REPLAY_HEADER = 'replay';

/** Whether a consumer group must skip a message: it is a re-drive meant for another group. */
export function meantForAnotherGroup(headers: MessageHeaders | undefined, groupId: string): boolean {
  const target = headers?.[REDRIVE_GROUP_HEADER];
  return target !== undefined && target !== groupId;
}
