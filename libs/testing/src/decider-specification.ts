import { Decider, DomainError, DomainErrorKind, DomainEvent, FieldError } from '@lp/eventsourcing';

/**
 * Emmett-style given/when/then for pure deciders:
 *
 *   const given = DeciderSpecification.for(orderDecider);
 *   given([created, accepted]).when({ type: 'PlaceOrder', ... }).then([placed]);
 *   given([created]).when({ type: 'RevokeAcceptance' }).thenThrows({ kind: 'conflict', code: 'INVALID_STATE' });
 *   given([created]).when(selectSameTenant).thenNothingHappened();
 *   given([created, accepted]).thenState((state) => expect(state.status).toBe('ACCEPTED'));
 *
 * Assertions use jest's `expect`; a failure names the given events and the command, so the
 * message says which scenario failed and why, not only which values differ.
 */

/** What a refusal is expected to look like; only the listed fields are compared. */
export interface ExpectedDomainError {
  kind?: DomainErrorKind;
  code?: string;
  /** Exact string, or any jest matcher (e.g. expect.stringContaining). */
  message?: unknown;
  /** Compared as a whole (same entries, same order); use jest matchers for partial checks. */
  errors?: FieldError[] | unknown;
}

export type ErrorCheck = ((error: unknown) => boolean) | ExpectedDomainError;

export interface WhenThen<Event extends DomainEvent, State> {
  /** decide produced exactly these events (jest `toEqual`; asymmetric matchers allowed). */
  then(expectedEvents: Event[]): void;
  /** decide refused: a predicate on the thrown error, or the DomainError fields to match. */
  thenThrows(check?: ErrorCheck): void;
  /** decide accepted the command but produced no event (an idempotent no-op). */
  thenNothingHappened(): void;
  /** The events decide produced, for assertions `then` cannot express; fails if decide throws. */
  events(): Event[];
  /** The state after the given events and the produced ones. */
  thenState(expected: Partial<State> | ((state: State) => void)): void;
}

export interface Given<Command, Event extends DomainEvent, State> {
  when(command: Command): WhenThen<Event, State>;
  /** The state folded from the given events (checks evolve alone). */
  thenState(expected: Partial<State> | ((state: State) => void)): void;
  state(): State;
}

export type GivenFn<Command, Event extends DomainEvent, State> = ((events?: Event[]) => Given<Command, Event, State>) & {
  given: (events?: Event[]) => Given<Command, Event, State>;
};

const describeEvents = (events: readonly DomainEvent[]) =>
  events.length === 0 ? '(no events)' : events.map((event) => event.type).join(' → ');

function describeCommand(command: unknown): string {
  if (command && typeof command === 'object' && 'type' in command) {
    return String((command as { type: unknown }).type);
  }
  return safeJson(command);
}

function safeJson(value: unknown): string {
  try {
    return JSON.stringify(value, null, 2) ?? String(value);
  } catch {
    return String(value);
  }
}

function describeError(error: unknown): string {
  if (error instanceof DomainError) {
    const fields = error.errors?.length ? ` ${safeJson(error.errors)}` : '';
    return `DomainError(${error.kind} ${error.code}): ${error.message}${fields}`;
  }
  if (error instanceof Error) return `${error.name}: ${error.message}`;
  return `non-error value ${safeJson(error)}`;
}

/** Runs an assertion; on failure, puts the scenario in front of jest's message. */
function inScenario(scenario: string, assertion: () => void): void {
  try {
    assertion();
  } catch (error) {
    if (error instanceof Error) {
      error.message = `${scenario}\n\n${error.message}`;
    }
    throw error;
  }
}

function failure(scenario: string, message: string): Error {
  const error = new Error(`${scenario}\n\n${message}`);
  error.name = 'DeciderSpecificationError';
  return error;
}

function errorSnapshot(error: unknown): Record<string, unknown> {
  if (error instanceof DomainError) {
    return { kind: error.kind, code: error.code, message: error.message, errors: error.errors };
  }
  if (error instanceof Error) return { name: error.name, message: error.message };
  return { value: error };
}

function assertState<State>(scenario: string, state: State, expected: Partial<State> | ((state: State) => void)): void {
  inScenario(`${scenario}\nthen the state`, () => {
    if (typeof expected === 'function') (expected as (state: State) => void)(state);
    else expect(state).toMatchObject(expected as Record<string, unknown>);
  });
}

function forDecider<Command, Event extends DomainEvent, State>(
  decider: Decider<Command, Event, State>,
): GivenFn<Command, Event, State> {
  const fold = (events: readonly Event[], from: State = decider.initialState()) => events.reduce(decider.evolve, from);

  const given = (givenEvents: Event[] = []): Given<Command, Event, State> => {
    const givenText = `given ${describeEvents(givenEvents)}`;
    const state = () => fold(givenEvents);

    return {
      state,
      thenState: (expected) => assertState(givenText, state(), expected),
      when(command: Command): WhenThen<Event, State> {
        const scenario = `${givenText}\nwhen ${describeCommand(command)}`;
        type Outcome = { ok: true; events: Event[] } | { ok: false; error: unknown };
        const run = (): Outcome => {
          try {
            return { ok: true, events: decider.decide(command, state()) };
          } catch (error) {
            return { ok: false, error };
          }
        };
        const produced = (expectation: string): Event[] => {
          const outcome = run();
          if (!outcome.ok) {
            throw failure(scenario, `${expectation}, but decide threw ${describeError(outcome.error)}`);
          }
          return outcome.events;
        };
        const evolvedOver = (events: Event[]) => {
          // The produced events must also be foldable: evolve is what every later command sees.
          try {
            return fold(events, state());
          } catch (error) {
            throw failure(scenario, `evolve failed on the produced events ${describeEvents(events)}: ${describeError(error)}`);
          }
        };

        return {
          then(expectedEvents) {
            const events = produced(`Expected events ${describeEvents(expectedEvents)}`);
            inScenario(`${scenario}\nthen ${describeEvents(expectedEvents)}`, () => expect(events).toEqual(expectedEvents));
            evolvedOver(events);
          },
          thenThrows(check) {
            const outcome = run();
            const expectedText = !check
              ? 'an error'
              : typeof check === 'function'
                ? 'an error matching the predicate'
                : `DomainError ${safeJson(check)}`;
            if (outcome.ok) {
              throw failure(
                scenario,
                `Expected decide to throw ${expectedText}, but it produced ${outcome.events.length} event(s): ${describeEvents(outcome.events)}\n${safeJson(outcome.events)}`,
              );
            }
            const { error } = outcome;
            if (!check) return;
            if (typeof check === 'function') {
              if (!check(error)) throw failure(scenario, `The thrown error does not match the predicate: ${describeError(error)}`);
              return;
            }
            if (!(error instanceof DomainError)) {
              throw failure(scenario, `Expected ${expectedText}, but decide threw ${describeError(error)}`);
            }
            inScenario(`${scenario}\nthen it is refused with ${expectedText}`, () => {
              expect(errorSnapshot(error)).toMatchObject({ ...check });
            });
          },
          thenNothingHappened() {
            const events = produced('Expected no event');
            inScenario(`${scenario}\nthen nothing happens`, () => expect(events).toEqual([]));
          },
          events: () => {
            const events = produced('Expected events');
            evolvedOver(events);
            return events;
          },
          thenState(expected) {
            const events = produced('Expected a state');
            assertState(`${scenario}\nand ${describeEvents(events)}`, evolvedOver(events), expected);
          },
        };
      },
    };
  };

  return Object.assign(given, { given });
}

export const DeciderSpecification = {
  for: forDecider,
};
