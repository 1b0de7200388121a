import { breakingChanges, JsonSchema } from '@lp/integration-events';

/** A published v1: an order with lines, a status enum and an optional note. */
const published: JsonSchema = {
  type: 'object',
  properties: {
    orderId: { type: 'string' },
    status: { type: 'string', enum: ['OPEN', 'PLACED', 'CANCELLED'] },
    kind: { type: 'string', const: 'ORDER' },
    note: { type: 'string' },
    total: { type: 'integer' },
    lines: { type: 'array', items: { type: 'object', properties: { sku: { type: 'string' }, quantity: { type: 'integer' } }, required: ['sku', 'quantity'] } },
  },
  required: ['orderId', 'status', 'lines'],
};

/** The published schema with `change` applied to a deep copy. */
function changed(change: (schema: any) => void): JsonSchema {
  const copy = structuredClone(published);
  change(copy);
  return copy;
}

describe('breakingChanges (same schemaVersion)', () => {
  it('finds nothing between a schema and itself', () => {
    expect(breakingChanges(published, structuredClone(published))).toEqual([]);
  });

  it('accepts an added optional property, a widened enum, a widened type and more documentation', () => {
    const candidate = changed((schema) => {
      schema.properties.channel = { type: 'string' };
      schema.properties.lines.items.properties.term = { type: 'string', enum: ['monthly', 'annual'] };
      schema.properties.status.enum.push('DELETED');
      schema.properties.total.type = 'number';
      schema.properties.note.type = ['string', 'null'];
      schema.properties.orderId.description = 'The order’s id';
    });
    expect(breakingChanges(published, candidate)).toEqual([]);
  });

  it('refuses a removed property, also inside array items', () => {
    const candidate = changed((schema) => {
      delete schema.properties.note;
      delete schema.properties.lines.items.properties.quantity;
      schema.properties.lines.items.required = ['sku'];
    });
    expect(breakingChanges(published, candidate)).toEqual(['$.note: property removed', '$.lines[].quantity: property removed']);
  });

  it('refuses a property that becomes required, and a new required one', () => {
    const candidate = changed((schema) => {
      schema.required.push('note');
      schema.properties.lines.items.properties.term = { type: 'string' };
      schema.properties.lines.items.required.push('term');
    });
    expect(breakingChanges(published, candidate)).toEqual(['$.lines[].term: new required property', '$.note: became required']);
  });

  it('refuses a changed type, including number narrowed to integer and nullable made non-null', () => {
    const loose = changed((schema) => {
      schema.properties.note.type = ['string', 'null'];
      schema.properties.total.type = 'number';
    });
    const candidate = changed((schema) => {
      schema.properties.orderId.type = 'integer';
      schema.properties.total.type = 'integer';
    });
    expect(breakingChanges(published, candidate)).toEqual(['$.orderId: type changed from string to integer']);
    expect(breakingChanges(loose, published)).toEqual(['$.note: type changed from string | null to string', '$.total: type changed from number to integer']);
  });

  it('refuses a narrowed enum, a changed const and an enum where any value was allowed', () => {
    const candidate = changed((schema) => {
      schema.properties.status.enum = ['OPEN', 'PLACED'];
      schema.properties.kind.const = 'CONTRACT';
      schema.properties.note.enum = ['urgent'];
    });
    expect(breakingChanges(published, candidate)).toEqual([
      '$.status: enum narrowed, ["CANCELLED"] no longer allowed',
      '$.kind: enum narrowed, ["ORDER"] no longer allowed',
      '$.note: narrowed to ["urgent"] (any value was allowed)',
    ]);
  });

  it('refuses a changed union', () => {
    const before: JsonSchema = { anyOf: [{ type: 'string' }, { type: 'null' }] };
    expect(breakingChanges(before, { anyOf: [{ type: 'string' }] })).toEqual(['$: anyOf changed']);
  });
});
