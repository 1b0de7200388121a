import { conflict, Decider, invalid } from '@lp/eventsourcing';
import { DeciderSpecification } from '../src';

// A toy counter: Add n (n ≥ 1, at most 10 in total), Reset (refused when already 0), Noop.
type Command = { type: 'Add'; n: number } | { type: 'Reset' } | { type: 'Noop' } | { type: 'Boom' };
type Event = { type: 'Added'; data: { n: number } } | { type: 'WasReset'; data: Record<string, never> };
type State = { total: number; resets: number };

const counter: Decider<Command, Event, State> = {
  initialState: () => ({ total: 0, resets: 0 }),
  decide(command, state) {
    switch (command.type) {
      case 'Add':
        if (command.n < 1) throw invalid([{ path: 'n', message: 'must be at least 1' }]);
        if (state.total + command.n > 10) throw conflict('TOO_MUCH', 'at most 10');
        return [{ type: 'Added', data: { n: command.n } }];
      case 'Reset':
        if (state.total === 0) throw conflict('NOTHING_TO_RESET', 'already 0');
        return [{ type: 'WasReset', data: {} }];
      case 'Noop':
        return [];
      case 'Boom':
        throw new TypeError('not a domain error');
    }
  },
  evolve: (state, event) =>
    event.type === 'Added' ? { ...state, total: state.total + event.data.n } : { total: 0, resets: state.resets + 1 },
};

const given = DeciderSpecification.for(counter);
const added = (n: number): Event => ({ type: 'Added', data: { n } });

/** Runs a specification that must fail, and returns its message. */
function failureOf(spec: () => void): string {
  try {
    spec();
  } catch (error) {
    return error instanceof Error ? error.message : String(error);
  }
  throw new Error('The specification was expected to fail but passed');
}

describe('DeciderSpecification', () => {
  describe('then', () => {
    it('passes when decide produces exactly the expected events', () => {
      given([added(2)]).when({ type: 'Add', n: 3 }).then([added(3)]);
    });

    it('accepts jest asymmetric matchers', () => {
      given().when({ type: 'Add', n: 3 }).then([expect.objectContaining({ type: 'Added' })]);
    });

    it('fails with the scenario in the message when the events differ', () => {
      const message = failureOf(() => given([added(2)]).when({ type: 'Add', n: 3 }).then([added(4)]));
      expect(message).toContain('given Added');
      expect(message).toContain('when Add');
      expect(message).toContain('then Added');
    });

    it('fails, naming the refusal, when decide throws', () => {
      const message = failureOf(() => given([added(9)]).when({ type: 'Add', n: 3 }).then([added(3)]));
      expect(message).toContain('but decide threw DomainError(conflict TOO_MUCH)');
    });

    it('fails when decide produces more events than expected', () => {
      failureOf(() => given().when({ type: 'Add', n: 1 }).then([]));
    });

    it('is also reachable as .given', () => {
      given.given().when({ type: 'Add', n: 1 }).then([added(1)]);
    });
  });

  describe('thenThrows', () => {
    it('matches kind and code of a DomainError', () => {
      given([added(9)]).when({ type: 'Add', n: 3 }).thenThrows({ kind: 'conflict', code: 'TOO_MUCH' });
    });

    it('matches the field errors of an invalid command', () => {
      given()
        .when({ type: 'Add', n: 0 })
        .thenThrows({ kind: 'invalid', code: 'VALIDATION_FAILED', errors: [{ path: 'n', message: 'must be at least 1' }] });
    });

    it('accepts a predicate', () => {
      given().when({ type: 'Boom' }).thenThrows((error) => error instanceof TypeError);
    });

    it('fails when the code differs', () => {
      const message = failureOf(() => given([added(9)]).when({ type: 'Add', n: 3 }).thenThrows({ kind: 'conflict', code: 'OTHER' }));
      expect(message).toContain('TOO_MUCH');
      expect(message).toContain('when Add');
    });

    it('fails when the kind differs', () => {
      failureOf(() => given([added(9)]).when({ type: 'Add', n: 3 }).thenThrows({ kind: 'rule', code: 'TOO_MUCH' }));
    });

    it('fails when the field errors differ', () => {
      failureOf(() => given().when({ type: 'Add', n: 0 }).thenThrows({ errors: [{ path: 'm', message: 'must be at least 1' }] }));
    });

    it('fails, listing the events, when decide does not throw', () => {
      const message = failureOf(() => given().when({ type: 'Add', n: 1 }).thenThrows({ code: 'TOO_MUCH' }));
      expect(message).toContain('but it produced 1 event(s): Added');
    });

    it('fails when the predicate rejects the error', () => {
      failureOf(() => given().when({ type: 'Boom' }).thenThrows((error) => error instanceof RangeError));
    });

    it('fails when a DomainError was expected but another error was thrown', () => {
      const message = failureOf(() => given().when({ type: 'Boom' }).thenThrows({ code: 'X' }));
      expect(message).toContain('TypeError: not a domain error');
    });
  });

  describe('thenNothingHappened', () => {
    it('passes when decide produces no event', () => {
      given([added(1)]).when({ type: 'Noop' }).thenNothingHappened();
    });

    it('fails when decide produces an event', () => {
      failureOf(() => given().when({ type: 'Add', n: 1 }).thenNothingHappened());
    });

    it('fails when decide throws', () => {
      failureOf(() => given().when({ type: 'Reset' }).thenNothingHappened());
    });
  });

  describe('state', () => {
    it('folds the given events', () => {
      given([added(2), added(3)]).thenState({ total: 5 });
      expect(given([added(2), { type: 'WasReset', data: {} }]).state()).toEqual({ total: 0, resets: 1 });
    });

    it('folds the produced events over the given ones', () => {
      given([added(2)]).when({ type: 'Reset' }).thenState((state) => expect(state).toEqual({ total: 0, resets: 1 }));
    });

    it('fails when the state differs', () => {
      const message = failureOf(() => given([added(2)]).thenState({ total: 3 }));
      expect(message).toContain('then the state');
    });

    it('returns the produced events for further assertions', () => {
      expect(given().when({ type: 'Add', n: 4 }).events()).toEqual([added(4)]);
    });
  });
});
