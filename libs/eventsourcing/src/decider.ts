import { DomainEvent } from './envelope';

/**
 * An aggregate as a pure decider (Emmett / Chassaing): decide which events a command produces
 * given the current state (throwing a DomainError to refuse), and evolve the state by an event.
 */
export interface Decider<Command, Event extends DomainEvent, State> {
  decide(command: Command, state: State): Event[];
  evolve(state: State, event: Event): State;
  initialState(): State;
}

export function foldEvents<Event extends DomainEvent, State>(
  decider: Pick<Decider<unknown, Event, State>, 'evolve' | 'initialState'>,
  events: readonly Event[],
): State {
  return events.reduce(decider.evolve, decider.initialState());
}
