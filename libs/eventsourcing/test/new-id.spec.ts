import { newId } from '@lp/eventsourcing';

describe('newId', () => {
  it('gives UUIDs that sort in the order they were made, so each lands at the end of the indexes it is a key of', () => {
    const ids = Array.from({ length: 20_000 }, () => newId());
    expect([...ids].sort()).toEqual(ids);
    expect(new Set(ids).size).toBe(ids.length);
    for (const id of ids.slice(0, 100)) expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  });

  it('starts with the time it was made, not with its random part', () => {
    const before = Date.now();
    const id = newId();
    const madeAt = parseInt(id.replace(/-/g, '').slice(0, 12), 16);
    expect(madeAt).toBeGreaterThanOrEqual(before);
    expect(madeAt).toBeLessThanOrEqual(Date.now());
  });
});
