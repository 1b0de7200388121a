import { UpcasterRegistry, VersionedEvent } from '@lp/integration-events';

const renamed = { eventId: 'e-1', streamId: 'order-1', type: 'OrderSent', schemaVersion: 1, data: { amount: 100 } };

/** v1 OrderSent {amount} → v2 {amountYen} → v3 OrderPlaced {amountYen, currency}. */
const registry = () =>
  new UpcasterRegistry()
    .register('OrderSent', 1, (event) => ({ type: event.type, data: { amountYen: (event.data as { amount: number }).amount } }))
    .register('OrderSent', 2, (event) => ({ type: 'OrderPlaced', data: { ...(event.data as object), currency: 'JPY' } }));

describe('UpcasterRegistry', () => {
  it('upcasts step by step to the current version, keeping every other envelope field', () => {
    expect(registry().upcast(renamed)).toEqual({ eventId: 'e-1', streamId: 'order-1', type: 'OrderPlaced', schemaVersion: 3, data: { amountYen: 100, currency: 'JPY' } });
  });

  it('starts where the event is: a version 2 event takes only the last step', () => {
    expect(registry().upcast({ ...renamed, schemaVersion: 2, data: { amountYen: 5 } })).toMatchObject({ type: 'OrderPlaced', schemaVersion: 3, data: { amountYen: 5, currency: 'JPY' } });
  });

  it('hands back the very same object when there is nothing to do (current version, or a type without upcasters)', () => {
    const current: VersionedEvent = { type: 'OrderSent', schemaVersion: 3, data: {} };
    const other: VersionedEvent = { type: 'InvoiceIssued', schemaVersion: 1, data: {} };
    expect(registry().upcast(current)).toBe(current);
    expect(registry().upcast(other)).toBe(other);
  });

  it('never changes the event it was given', () => {
    const event = structuredClone(renamed);
    registry().upcast(event);
    expect(event).toEqual(renamed);
  });

  it('knows the version writers emit: 1 + the steps registered', () => {
    expect(registry().currentVersion('OrderSent')).toBe(3);
    expect(registry().currentVersion('InvoiceIssued')).toBe(1);
  });

  it('refuses a gap, a second step from the same version and a version below 1', () => {
    const step = (event: VersionedEvent) => event;
    expect(() => new UpcasterRegistry().register('A', 2, step)).toThrow('A: register the step from version 1 first');
    expect(() => new UpcasterRegistry().register('A', 1, step).register('A', 1, step)).toThrow('A: an upcaster from version 1 is already registered');
    expect(() => new UpcasterRegistry().register('A', 0, step)).toThrow('A: versions start at 1, not 0');
  });
});
