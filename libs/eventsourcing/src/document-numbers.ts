import { randomUUID } from 'crypto';
import { CommandContext, withMetadata } from './command-handler';
import { conflict, WrongExpectedVersionError } from './errors';
import { EventStore } from './event-store';

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
    const yyyymm = businessDate.slice(0, 7).replace('-', '');
    for (;;) {
      const issued = await this.store.appendToStream(
        this.sequenceStream,
        withMetadata([{ type: this.advancedType, data: { [this.ownerKey]: ownerId } }], context),
        { expectedRevision: 'any' },
      );
      const documentNumber = `${this.prefix}${yyyymm}-${String(issued.nextExpectedRevision + 1).padStart(10, '0')}`;
      // A manual number may already hold this value; skip it rather than fail the request.
      if (await this.tryReserve(documentNumber, ownerId, context)) return documentNumber;
    }
  }

  /** Claims a number given by hand; 409 with the configured code when it is taken. */
  async reserve(documentNumber: string, ownerId: string, context: CommandContext): Promise<void> {
    if (!(await this.tryReserve(documentNumber, ownerId, context))) {
      throw conflict(this.options.duplicateCode, `${this.label} ${documentNumber} is already used`);
    }
  }

  private async tryReserve(documentNumber: string, ownerId: string, context: CommandContext): Promise<boolean> {
    try {
      await this.store.appendToStream(
        this.reservationStreamOf(documentNumber),
        withMetadata(
          [
            {
              type: this.reservedType,
              data: { [this.numberKey]: documentNumber, [this.ownerKey]: ownerId, reservationId: randomUUID() },
            },
          ],
          context,
        ),
        { expectedRevision: 'no_stream' },
      );
      return true;
    } catch (error) {
      if (error instanceof WrongExpectedVersionError) return false;
      throw error;
    }
  }
}
