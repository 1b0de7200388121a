import { Claim, CommandContext, withMetadata } from './command-handler';
import { conflict, WrongExpectedVersionError } from './errors';
import { AppendContext, EventStore, expectedRevisionAt, StreamAppend } from './event-store';
import { newId } from './new-id';

export interface DocumentNumbersOptions {
  /** Three letters in front of every number: 'NOD' (orders), 'NCN' (contracts), 'INV' (invoices). */
  prefix: string;
  /**
   * The document in lower camel case ('order', 'contract', 'invoice'). It names, unless overridden:
   * the sequence stream `<document>NumberSequence`, the reservation stream `<document>Number-<number>`,
   * the events `<Document>NumberSequenceAdvanced` / `<Document>NumberReserved`, and their data keys
   * `<document>Id` / `<document>Number`.
   */
  document: string;
  /** The 409 code of a number given by hand that is already taken, e.g. DUPLICATE_ORDER_NUMBER. */
  duplicateCode: string;
  sequenceStream?: string;
  reservationStream?: (documentNumber: string) => string;
}

const capitalised = (word: string) => word.charAt(0).toUpperCase() + word.slice(1);

/**
 * Document numbers (`<prefix>` + yyyyMM of the business date + `-` + 10-digit sequence) from the
 * event store itself, so they hold across replicas without another server:
 * - the sequence is the revision of an append-only stream appended with expected revision 'any'
 *   (each append gets its own revision, so concurrent requests never share a number, and a number
 *   is never reused);
 * - every number, automatic or manual, is reserved by creating a stream named after it with
 *   expected revision 'no_stream', so a second claim fails atomically.
 *
 * `next` and `reserve` append on their own (three commits for a numbered document: sequence,
 * reservation, document). `claimNext` and `claimGiven` hand the same appends to the document's
 * CommandHandler instead, which makes them in the document's own commit where the store can commit
 * several streams at once (the embedded SQLite store), and one after the other elsewhere.
 */
export class DocumentNumbers {
  readonly prefix: string;
  readonly sequenceStream: string;
  private readonly reservationStreamOf: (documentNumber: string) => string;
  private readonly advancedType: string;
  private readonly reservedType: string;
  private readonly ownerKey: string;
  private readonly numberKey: string;
  private readonly label: string;

  constructor(
    private readonly store: EventStore,
    private readonly options: DocumentNumbersOptions,
  ) {
    const { prefix, document } = options;
    if (!/^[A-Z]{3}$/.test(prefix)) throw new Error(`A document number prefix is three capital letters, not '${prefix}'`);
    this.prefix = prefix;
    this.sequenceStream = options.sequenceStream ?? `${document}NumberSequence`;
    this.reservationStreamOf = options.reservationStream ?? ((documentNumber) => `${document}Number-${documentNumber}`);
    this.advancedType = `${capitalised(document)}NumberSequenceAdvanced`;
    this.reservedType = `${capitalised(document)}NumberReserved`;
    this.ownerKey = `${document}Id`;
    this.numberKey = `${document}Number`;
    this.label = `${capitalised(document)} number`;
  }

  /** The stream that reserves a number (`orderNumber-NOD202107-0000007551`). */
  reservationStream(documentNumber: string): string {
    return this.reservationStreamOf(documentNumber);
  }

  /** The next free number for a document dated `businessDate` (YYYY-MM-DD), reserved for `ownerId`. */
  async next(businessDate: string, ownerId: string, context: CommandContext): Promise<string> {
    for (;;) {
      const issued = await this.store.appendToStream(this.sequenceStream, withMetadata([this.advanced(ownerId)], context), { expectedRevision: 'any' });
      const documentNumber = this.format(businessDate, issued.nextExpectedRevision + 1);
      // A manual number may already hold this value; skip it rather than fail the request.
      if (await this.tryReserve(documentNumber, ownerId, context)) return documentNumber;
    }
  }

  /**
   * The next free number for a document dated `businessDate`, as a Claim for the document's
   * CommandHandler: `complete` puts the number into the command. Inside the store's transaction the
   * sequence is read as it is there, so the number is the next one and no number is used up by a
   * document that is refused or loses a race; elsewhere it is `next()`.
   */
  claimNext<Command>(businessDate: string, ownerId: string, context: CommandContext, complete: (command: Command, documentNumber: string) => Command): Claim<Command> {
    let issued: Promise<string> | undefined;
    return {
      within: (store: AppendContext, command: Command) => {
        const last = store.lastRevision(this.sequenceStream);
        const advanced = [];
        for (let revision = last + 1; ; revision++) {
          advanced.push(this.advanced(ownerId));
          const documentNumber = this.format(businessDate, revision + 1);
          // A manual number may already hold this value; skip it (its sequence event stays) rather than fail the request.
          if (store.lastRevision(this.reservationStreamOf(documentNumber)) >= 0) continue;
          const sequence: StreamAppend = { streamId: this.sequenceStream, events: withMetadata(advanced, context), expectedRevision: expectedRevisionAt(last) };
          return { command: complete(command, documentNumber), appends: [sequence, this.reservation(documentNumber, ownerId, context)] };
        }
      },
      // Once per document: a retry of the command reuses the number it already holds.
      before: async (command: Command) => complete(command, await (issued ??= this.next(businessDate, ownerId, context))),
    };
  }

  /** A number given by hand as a Claim (see claimNext); 409 with the configured code when it is taken. */
  claimGiven<Command>(documentNumber: string, ownerId: string, context: CommandContext, complete: (command: Command, documentNumber: string) => Command): Claim<Command> {
    let reserved: Promise<void> | undefined;
    return {
      within: (store: AppendContext, command: Command) => {
        if (store.lastRevision(this.reservationStreamOf(documentNumber)) >= 0) throw this.taken(documentNumber);
        return { command: complete(command, documentNumber), appends: [this.reservation(documentNumber, ownerId, context)] };
      },
      before: async (command: Command) => {
        await (reserved ??= this.reserve(documentNumber, ownerId, context));
        return complete(command, documentNumber);
      },
    };
  }

  /** Claims a number given by hand; 409 with the configured code when it is taken. */
  async reserve(documentNumber: string, ownerId: string, context: CommandContext): Promise<void> {
    if (!(await this.tryReserve(documentNumber, ownerId, context))) throw this.taken(documentNumber);
  }

  /** The number the sequence's `sequenceNumber` gives a document dated `businessDate` (YYYY-MM-DD). */
  private format(businessDate: string, sequenceNumber: number): string {
    const yyyymm = businessDate.slice(0, 7).replace('-', '');
    return `${this.prefix}${yyyymm}-${String(sequenceNumber).padStart(10, '0')}`;
  }

  /** The sequence event that issues one number to `ownerId`. */
  private advanced(ownerId: string) {
    return { type: this.advancedType, data: { [this.ownerKey]: ownerId } };
  }

  private taken(documentNumber: string) {
    return conflict(this.options.duplicateCode, `${this.label} ${documentNumber} is already used`);
  }

  /** The append that reserves a number: it creates the stream named after it, which fails if it exists. */
  private reservation(documentNumber: string, ownerId: string, context: CommandContext): StreamAppend {
    return {
      streamId: this.reservationStreamOf(documentNumber),
      events: withMetadata([{ type: this.reservedType, data: { [this.numberKey]: documentNumber, [this.ownerKey]: ownerId, reservationId: newId() } }], context),
      expectedRevision: 'no_stream',
    };
  }

  private async tryReserve(documentNumber: string, ownerId: string, context: CommandContext): Promise<boolean> {
    const { streamId, events, expectedRevision } = this.reservation(documentNumber, ownerId, context);
    try {
      await this.store.appendToStream(streamId, events, { expectedRevision });
      return true;
    } catch (error) {
      if (error instanceof WrongExpectedVersionError) return false;
      throw error;
    }
  }
}
