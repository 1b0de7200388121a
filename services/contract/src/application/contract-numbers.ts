import { CommandContext, DocumentNumbers, EventStore } from '@lp/eventsourcing';

/**
 * Contract numbers (`NCN` + yyyyMM of the contract date + `-` + 10-digit sequence, e.g.
 * NCN202107-0000003109), unique across replicas: see DocumentNumbers. Its streams are
 * `contractNumberSequence` and `contractNumber-<n>`, outside the forwarded prefix `contract-`.
 */
export class ContractNumbers {
  private readonly numbers: DocumentNumbers;

  constructor(private readonly store: EventStore) {
    this.numbers = new DocumentNumbers(store, { prefix: 'NCN', document: 'contract', duplicateCode: 'DUPLICATE_CONTRACT_NUMBER' });
  }

  next(contractDate: string, contractId: string, context: CommandContext): Promise<string> {
    return this.numbers.next(contractDate, contractId, context);
  }

  /** Claims a number given by hand; 409 DUPLICATE_CONTRACT_NUMBER when it is taken. */
  reserve(contractNumber: string, contractId: string, context: CommandContext): Promise<void> {
    return this.numbers.reserve(contractNumber, contractId, context);
  }

  /** An early, friendly check before lines are reserved; reserve() remains the atomic one. */
  async isTaken(contractNumber: string): Promise<boolean> {
    const events = await this.store.readStream(this.numbers.reservationStream(contractNumber), { maxCount: 1 });
    return events.length > 0;
  }
}
