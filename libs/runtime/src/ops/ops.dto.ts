import { Transform, Type } from 'class-transformer';
import { BooleanField, EnumField, InstantField, IntField, TextField } from '@lp/platform';

/*
 * The ops routes' inputs, declared with the platform's field decorators so that the OpenAPI
 * document states exactly what the server accepts (the schemathesis suite holds us to it).
 */

/** `?maskPii=true` arrives as text. */
const booleanText = () => Transform(({ value }) => (value === 'true' ? true : value === 'false' ? false : value));
/** Topic, group, key and stream names: free text, bounded. */
const NAME = { optional: true, maxLength: 200 } as const;
/** Store positions and counts: whole numbers well inside the safe range. */
const MAX_POSITION = Number.MAX_SAFE_INTEGER;

export class RebuildQueryDto {
  @BooleanField({ optional: true, description: 'false: answer 202 at once and follow the progress in GET /ops/projections (default true: answer when swapped)' })
  @booleanText()
  wait?: boolean;
}

export class DeadLetterListQueryDto {
  @TextField(NAME) topic?: string;
  @TextField({ ...NAME, description: 'consumer group that parked it' }) groupId?: string;
  @TextField({ ...NAME, description: 'message key (aggregate id)' }) key?: string;
  @EnumField(['parked', 'redriven', 'discarded', 'all'], { optional: true, default: 'parked' }) status?: 'parked' | 'redriven' | 'discarded' | 'all';
  @IntField({ optional: true, min: 0, max: MAX_POSITION, default: 0 }) @Type(() => Number) offset?: number;
  @IntField({ optional: true, min: 1, max: 1000, default: 100 }) @Type(() => Number) limit?: number;
}

export class RedriveDto {
  @TextField(NAME) topic?: string;
  @TextField(NAME) groupId?: string;
  @TextField(NAME) key?: string;
  @IntField({ optional: true, min: 1, max: MAX_POSITION, description: 'move at most this many (oldest first)' }) stopAt?: number;
  @BooleanField({ optional: true, description: 'true moves them; absent or false only counts them (dry run)' }) confirm?: boolean;
}

export class DiscardDto {
  @TextField({ maxLength: 500, description: 'why it is dropped: kept in the ops journal' }) reason!: string;
}

export class RepublishDto {
  @TextField({ maxLength: 200, example: 'order.events' }) topic!: string;
  @IntField({ optional: true, min: 0, max: MAX_POSITION, description: 'after this store position (exclusive)' }) fromPosition?: number;
  @InstantField({ optional: true, description: 'from this instant on' }) from?: string;
  @TextField({ ...NAME, description: 'one stream only, e.g. order-<id>' }) stream?: string;
  @IntField({ optional: true, min: 1, max: MAX_POSITION, description: 'take at most this many; the answer\'s lastPosition is where the next step goes on (fromPosition)' })
  limit?: number;
  @BooleanField({ optional: true, description: 'true sends them; absent or false only counts them (dry run)' }) confirm?: boolean;
}

export class RewindDto {
  @IntField({ optional: true, min: 0, max: MAX_POSITION, description: 'store reactors: the checkpoint to restart after; bus groups: the offset on every partition' })
  toPosition?: number;
  @InstantField({ optional: true, description: 'rewind to this instant' }) toInstant?: string;
  @BooleanField({ optional: true, description: 'true rewinds; absent or false only counts what would be handled again (dry run)' }) confirm?: boolean;
}

export class ExportQueryDto {
  @TextField({ ...NAME, example: 'order.events', description: 'what the service publishing this topic published on it (give this or service)' }) topic?: string;
  @TextField({ ...NAME, example: 'order', description: 'every event of this service\'s store: internal events and the ops journal too (give this or topic)' })
  service?: string;
  @InstantField({ optional: true, description: 'from this instant (inclusive)' }) from?: string;
  @InstantField({ optional: true, description: 'up to this instant (exclusive)' }) to?: string;
  @TextField({ ...NAME, description: 'one stream, e.g. order-<id>, or ops-journal (with service)' }) stream?: string;
  @TextField({ optional: true, maxLength: 500, description: 'one event type, or several separated by commas' }) type?: string;
  @BooleanField({ optional: true, description: 'mask names, e-mail addresses, phone numbers and addresses (x-pii in the published schemas; a declared list for internal events)' })
  @booleanText()
  maskPii?: boolean;
}
