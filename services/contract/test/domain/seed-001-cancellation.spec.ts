import { Decider, DomainEvent } from '@lp/eventsourcing';
import { DeciderSpecification } from '@lp/testing';
import { contractCommandForOutcome } from '../../src/domain/change-outcome';
import {
  CONTRACT_LINE_STATUS_LABELS,
  CONTRACT_STATUS_LABELS,
  ContractChangeOpened,
  ContractCommand,
  contractDecider,
  ContractEvent,
  ContractState,
} from '../../src/domain/contract';
import {
  ContractChangeCommand,
  contractChangeDecider,
  ContractChangeEvent,
  ContractChangeState,
  requestChangeFrom,
} from '../../src/domain/contract-change';
import { contractChangeRow } from '../../src/projections/contract-change-row';
import { activeContract, BASIC, E1, existing, lineOf, PROJECT, TODAY } from './change-fixtures';

/**
 * The two deciders together, as the application runs them: the contract opens the change (and
 * locks its lines), the change stream lives its life, and its outcome is applied back to the
 * contract. Each step goes through decide and evolve like a command handler would.
 */
class Stream<Command, Event extends DomainEvent, State> {
  events: Event[] = [];
  constructor(private readonly decider: Decider<Command, Event, State>, initial: Event[] = []) {
    this.events = [...initial];
  }
  get state(): State {
    return this.events.reduce(this.decider.evolve, this.decider.initialState());
  }
  handle(command: Command): Event[] {
    const produced = this.decider.decide(command, this.state);
    this.events.push(...produced);
    return produced;
  }
}

const contractStream = (lines = [E1, PROJECT]) => new Stream<ContractCommand, ContractEvent, ContractState>(contractDecider, activeContract(lines));
const changeStream = () => new Stream<ContractChangeCommand, ContractChangeEvent, ContractChangeState>(contractChangeDecider);
const change = (stream: ReturnType<typeof changeStream>) => {
  if (stream.state.status === 'NONE') throw new Error('no change');
  return stream.state;
};

/** What the application does with the change's outcome on the contract stream. */
function applyOutcome(contract: ReturnType<typeof contractStream>, events: ContractChangeEvent[]): ContractEvent[] {
  return events.flatMap((event) => {
    const outcome = contractCommandForOutcome(event);
    return outcome ? contract.handle(outcome.command) : [];
  });
}

function open(contract: ReturnType<typeof contractStream>, changes: ReturnType<typeof changeStream>, command: Omit<Extract<ContractCommand, { type: 'OpenChange' }>, 'type' | 'today'>) {
  const [openedEvent] = contract.handle({ type: 'OpenChange', today: TODAY, ...command });
  changes.handle(requestChangeFrom(openedEvent as ContractChangeOpened));
}

describe('seed 001: cancelling 3 of Office 365 E1 on a two-line contract, step by step', () => {
  const contract = contractStream();
  const changes = changeStream();

  it('1. 解約手続き: 3 of Office 365 E1 (its whole quantity), started today → the change in 申請, the line locked', () => {
    open(contract, changes, { changeId: 'ch-1', changeType: 'CANCELLATION', lines: [{ lineId: E1.lineId, quantity: 3 }] });
    expect(contractChangeRow(change(changes))).toMatchObject({
      contractNumber: 'NCN202107-0000003109',
      orderNumber: 'NOD202107-0000007584',
      type: 'CANCELLATION',
      typeLabel: '解約',
      status: 'APPLIED',
      statusLabel: '申請',
      requestedOn: TODAY,
      subject: 'テスト',
      customerId: 'c-factory2016T',
      lines: [{ lineId: E1.lineId, quantity: 3, currentQuantity: 3, newQuantity: 0, linkStatus: 'NOT_LINKED', linkStatusLabel: '未連携' }],
    });
    expect(lineOf(contract.state, E1.lineId).openChangeId).toBe('ch-1');
  });

  it('a second cancellation of the same line is not eligible meanwhile', () => {
    expect(() => contract.handle({ type: 'OpenChange', changeId: 'ch-2', changeType: 'CANCELLATION', lines: [{ lineId: E1.lineId, quantity: 1 }], today: TODAY })).toThrow(
      expect.objectContaining({ code: 'LINE_NOT_ACTIVE' }),
    );
  });

  it('2. 受付 → 受付済', () => {
    changes.handle({ type: 'Accept', acceptedOn: TODAY });
    expect(contractChangeRow(change(changes)).statusLabel).toBe('受付済');
  });

  it('3. 解約連携 → 連携済, CancellationLinked for provisioning; 受付取消 is refused from now on', () => {
    const [linked] = changes.handle({ type: 'Link', linkedOn: TODAY });
    expect(linked).toMatchObject({ type: 'CancellationLinked', data: { lines: [{ subscriptionId: 'sub-e1', quantity: 3, remainingQuantity: 0 }] } });
    expect(contractChangeRow(change(changes)).lines[0].linkStatusLabel).toBe('連携済');
    expect(() => changes.handle({ type: 'RevokeAcceptance', revokedOn: TODAY })).toThrow(
      expect.objectContaining({ code: 'ALREADY_LINKED', message: '発注済みの為、受付取消はできません' }),
    );
  });

  it('4. 解約確定 without force while the vendor has not confirmed → SUPPLIER_NOT_CONFIRMED, nothing changes', () => {
    const before = changes.events.length;
    expect(() => changes.handle({ type: 'ConfirmCancellation', endDate: TODAY, confirmedOn: TODAY })).toThrow(
      expect.objectContaining({ kind: 'conflict', code: 'SUPPLIER_NOT_CONFIRMED', message: '仕入元で解約処理が確定されていません' }),
    );
    expect(changes.events).toHaveLength(before);
  });

  it('5. 解約確定 with force → 変更済, CancellationConfirmed (forced)', () => {
    const confirmed = changes.handle({ type: 'ConfirmCancellation', endDate: TODAY, force: true, confirmedOn: TODAY });
    expect(confirmed).toMatchObject([
      {
        type: 'CancellationConfirmed',
        data: { endDate: TODAY, cancelledOn: TODAY, forced: true, lines: [{ lineId: E1.lineId, cancelledQuantity: 3, remainingQuantity: 0 }] },
      },
    ]);
    expect(contractChangeRow(change(changes))).toMatchObject({ status: 'COMPLETED', statusLabel: '変更済' });
    applyOutcome(contract, confirmed);
  });

  it('6. on the contract: Office 365 E1 解約済 with end date and 解約日, Project Plan 1 still 契約中, the contract 契約中', () => {
    const state = existing(contract.state);
    expect(lineOf(state, E1.lineId)).toMatchObject({ status: 'CANCELLED', endDate: TODAY, cancelledOn: TODAY });
    expect(CONTRACT_LINE_STATUS_LABELS[lineOf(state, E1.lineId).status]).toBe('解約済');
    expect(CONTRACT_LINE_STATUS_LABELS[lineOf(state, PROJECT.lineId).status]).toBe('契約中');
    expect(CONTRACT_STATUS_LABELS[state.status]).toBe('契約中');
  });

  it('redeliveries change nothing: the vendor’s late confirmation is recorded once, the application is a no-op', () => {
    expect(changes.handle({ type: 'RecordVendorConfirmation', subscriptionId: 'sub-e1', confirmedOn: '2021-07-21' })).toHaveLength(1);
    expect(changes.handle({ type: 'RecordVendorConfirmation', subscriptionId: 'sub-e1', confirmedOn: '2021-07-21' })).toEqual([]);
    const confirmed = changes.events.filter((event) => event.type === 'CancellationConfirmed');
    expect(applyOutcome(contract, confirmed)).toEqual([]);
  });

  it('then cancelling the remaining line makes the contract 解約済', () => {
    const second = changeStream();
    open(contract, second, { changeId: 'ch-3', changeType: 'CANCELLATION', all: true });
    expect(change(second).lines.map((line) => line.lineId)).toEqual([PROJECT.lineId]);
    second.handle({ type: 'Accept', acceptedOn: TODAY });
    second.handle({ type: 'Link', linkedOn: TODAY });
    second.handle({ type: 'RecordVendorConfirmation', subscriptionId: 'sub-p1', confirmedOn: TODAY });
    applyOutcome(contract, second.handle({ type: 'ConfirmCancellation', endDate: '2021-07-31', confirmedOn: TODAY }));
    expect(existing(contract.state).status).toBe('CANCELLED');
    expect(lineOf(contract.state, PROJECT.lineId)).toMatchObject({ status: 'CANCELLED', endDate: '2021-07-31' });
  });
});

describe('the whole flow for a reduction, an add and a withdrawal', () => {
  it('a reduction (cancel 4 of 10): the line runs on with 6', () => {
    const contract = contractStream([E1, BASIC]);
    const changes = changeStream();
    open(contract, changes, { changeId: 'ch-r', changeType: 'CANCELLATION', lines: [{ lineId: BASIC.lineId, quantity: 4 }] });
    changes.handle({ type: 'Accept', acceptedOn: TODAY });
    changes.handle({ type: 'Link', linkedOn: TODAY });
    changes.handle({ type: 'RecordVendorConfirmation', subscriptionId: 'sub-bb', confirmedOn: TODAY });
    applyOutcome(contract, changes.handle({ type: 'ConfirmCancellation', endDate: TODAY, confirmedOn: TODAY }));
    expect(lineOf(contract.state, BASIC.lineId)).toMatchObject({ status: 'ACTIVE', quantity: 6 });
    expect(lineOf(contract.state, BASIC.lineId).openChangeId).toBeUndefined();
    expect(contract.state.status).toBe('ACTIVE');
  });

  it('an add (10 → 15): QuantityChanged, the line has 15', () => {
    const contract = contractStream([E1, BASIC]);
    const changes = changeStream();
    open(contract, changes, { changeId: 'ch-a', changeType: 'ADD', lines: [{ lineId: BASIC.lineId, quantity: 15 }] });
    changes.handle({ type: 'Accept', acceptedOn: TODAY });
    expect(changes.handle({ type: 'Link', linkedOn: TODAY })).toMatchObject([{ type: 'QuantityChangeLinked', data: { lines: [{ previousQuantity: 10, newQuantity: 15 }] } }]);
    changes.handle({ type: 'RecordVendorConfirmation', subscriptionId: 'sub-bb', confirmedOn: TODAY });
    const done = changes.handle({ type: 'ConfirmQuantityChange', effectiveOn: '2021-07-21', confirmedOn: TODAY });
    expect(done).toMatchObject([{ type: 'QuantityChanged', data: { type: 'ADD', effectiveOn: '2021-07-21', forced: false } }]);
    applyOutcome(contract, done);
    expect(lineOf(contract.state, BASIC.lineId)).toMatchObject({ status: 'ACTIVE', quantity: 15 });
    expect(applyOutcome(contract, done)).toEqual([]);
  });

  it('a withdrawn change frees its line for the next request', () => {
    const contract = contractStream();
    const changes = changeStream();
    open(contract, changes, { changeId: 'ch-w', changeType: 'CANCELLATION', lines: [{ lineId: E1.lineId, quantity: 1 }] });
    applyOutcome(contract, changes.handle({ type: 'Withdraw', withdrawnOn: TODAY }));
    expect(lineOf(contract.state, E1.lineId).openChangeId).toBeUndefined();
    DeciderSpecification.for(contractDecider)(contract.events)
      .when({ type: 'OpenChange', changeId: 'ch-next', changeType: 'CANCELLATION', all: true, today: TODAY })
      .thenState((state) => expect(existing(state).lines.every((line) => line.openChangeId === 'ch-next')).toBe(true));
  });
});
