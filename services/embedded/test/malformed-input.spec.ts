import { randomUUID } from 'crypto';
import { gzipSync } from 'zlib';
import request from 'supertest';
import { KATAKANA_PATTERN, MONTH_PATTERN, OVERSIZED_LISTS_DETAIL } from '@lp/platform';
import { ROUTE_ACCESS } from '../../../libs/platform/src/auth/role-matrix';
import { asDirect, asDistributor, customerBody, Harness } from './support/harness';

/**
 * Every class of malformation, twice, on every command route (the role matrix's POST/PUT/DELETE
 * routes, with bodies built from the served OpenAPI document), generated from a fixed seed and
 * thrown at the real embedded app: not one may answer 5xx, each must be problem+json with a code
 * (the expected one where the class of malformation decides it), and no event store may grow.
 * Path ids are unknown ids, so a request that slipped past every check would answer 404, not commit.
 */

/** mulberry32: the same sequence at every run, so a failure can be replayed. */
function seededRandom(seed: number) {
  let state = seed >>> 0;
  const next = () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return {
    int: (min: number, max: number) => min + Math.floor(next() * (max - min + 1)),
    pick: <T>(items: readonly T[]): T => items[Math.floor(next() * items.length)],
  };
}

/** The part of an OpenAPI schema the generator reads. */
interface Schema {
  $ref?: string;
  allOf?: Schema[];
  type?: string;
  format?: string;
  pattern?: string;
  enum?: unknown[];
  example?: unknown;
  minimum?: number;
  maximum?: number;
  minItems?: number;
  maxItems?: number;
  items?: Schema;
  properties?: Record<string, Schema>;
  required?: string[];
}

interface Target {
  /** As the OpenAPI document names it, e.g. `POST /orders/{id}/place`. */
  route: string;
  method: 'post' | 'put' | 'delete';
  path: string;
  token: string;
  /** A body the route's schema calls valid (sent as is, it is not refused with 400): each malformation below must make it refused. */
  valid: Record<string, unknown>;
  /** The body's top-level properties (resolved), none when the route takes no body. */
  properties: Record<string, Schema>;
  required: string[];
  /** Whether the route reads a body with a DTO (whose validation refuses unknown fields and wrong types). */
  hasBody: boolean;
}

interface Malformed {
  label: string;
  target: Target;
  headers: Record<string, string>;
  body: string | Buffer;
  /** The answer this class of malformation must get; undefined: any 4xx problem. */
  expected?: { status: number; code: string };
}

/** An id nobody uses: a command that got past every check answers 404 and commits nothing. */
const UNKNOWN_ID = 'fuzz-unknown-id';

/** The route's body schema with `$ref` and single `allOf` resolved. */
function resolver(document: { components: { schemas: Record<string, Schema> } }) {
  const resolve = (schema: Schema): Schema => {
    if (schema.$ref) return resolve(document.components.schemas[schema.$ref.split('/').pop()!]);
    if (schema.allOf?.length === 1) return resolve(schema.allOf[0]);
    return schema;
  };
  return resolve;
}

/** A value the schema calls valid: its example where it has one, else the least value of its type. */
function sample(schema: Schema, resolve: (schema: Schema) => Schema): unknown {
  const resolved = resolve(schema);
  if (resolved.example !== undefined) return resolved.example;
  if (resolved.enum) return resolved.enum[0];
  switch (resolved.type) {
    case 'object':
      return Object.fromEntries((resolved.required ?? []).map((name) => [name, sample(resolved.properties![name], resolve)]));
    case 'array':
      return Array.from({ length: resolved.minItems ?? 0 }, (_, index) => {
        const item = sample(resolved.items!, resolve);
        return typeof item === 'string' ? `${item}-${index}` : item;
      });
    case 'integer':
    case 'number':
      return Math.max(resolved.minimum ?? 1, 1);
    case 'boolean':
      return false;
  }
  if (resolved.format === 'email') return 'fuzz@example.jp';
  if (resolved.format === 'uuid') return randomUUID();
  if (resolved.format === 'date') return '2026-05-15';
  if (resolved.format === 'date-time') return '2026-05-15T09:30:00Z';
  if (resolved.pattern === MONTH_PATTERN) return '2026-05';
  if (resolved.pattern === KATAKANA_PATTERN) return 'カナ';
  return 'x';
}

/** Raw JSON values a field of this schema must refuse (null only where the field is required). */
function wrongValues(schema: Schema, required: boolean, resolve: (schema: Schema) => Schema): string[] {
  const resolved = resolve(schema);
  const values = (() => {
    switch (resolved.type) {
      case 'integer':
      case 'number':
        return [
          '"3"', 'true', '[]', '{}', '1e400', '"NaN"',
          ...(resolved.type === 'integer' ? ['1.5'] : []),
          ...(resolved.minimum !== undefined ? [String(resolved.minimum - 1)] : []),
          ...(resolved.maximum !== undefined ? [String(resolved.maximum + 1)] : []),
        ];
      case 'boolean':
        return ['"true"', '1', '0', '[]', '{}', '"no"'];
      case 'array': {
        // One item over the limit, refused by the check on the plain body.
        const over = resolved.maxItems !== undefined ? [JSON.stringify(Array.from({ length: resolved.maxItems + 1 }, () => sample(resolved.items!, resolve)))] : [];
        return ['"x"', '123', '{}', '[1, 2]', '[[]]', ...over];
      }
      case 'object':
        return ['[]', '"x"', '1', 'true', '[{}]'];
      default:
        return ['123', 'true', '[]', '{}', '["x"]', '{"$gt": ""}', '-0', '1e400'];
    }
  })();
  return required ? [...values, 'null'] : values;
}

const MARK = '"__MARK__"';
/** The valid body as JSON with one field's value replaced by raw JSON text. */
const withField = (target: Target, field: string, rawValue: string) =>
  JSON.stringify({ ...target.valid, [field]: '__MARK__' }).replace(MARK, () => rawValue);
/** A field to carry a malformation the edge refuses whatever the route (a made-up one where the route takes no body). */
const anyField = (target: Target, random: ReturnType<typeof seededRandom>) => random.pick([...Object.keys(target.properties), 'note']);

const CHARSETS = ['latin1', 'utf8', 'ascii', 'iso-8859-1', 'utf-16', 'utf-16le', 'utf-32', 'windows-1252', 'bogus', '"latin1"', ''];
const ENCODINGS = ['gzip', 'deflate', 'br', 'bogus', 'gzip, identity', 'x-gzip', 'compress', 'zstd', 'identity, gzip'];
const SURROGATES = ['\\ud800', '\\udfff', 'a\\udbffb', '\\ud800\\ud800', '\\udc00\\ud800', 'x@\\ud800.jp'];
const BAD_TYPES = ['text/plain', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x', 'application/xml', 'application/jsonx', 'application/json-patch+json', ''];
/** Not JSON, or JSON other than an object or array (body-parser's strict mode). */
const UNPARSABLE_JSON = ['{', '{"a": ', '{"a": 1,}', "{'a': 1}", '{"a": NaN}', '{"a": 1} // c', '"text"', '42', 'null', 'true', '{"a": 1}}', '[1, 2'];
/** No body, or one that parses to something other than the object: refused only because the route requires fields. */
const PARSABLE_NON_OBJECTS = ['', '\ufeff{}', '[]', '[{}]'];
const FORBIDDEN_KEYS = ['"__proto__": {"isDistributor": true}', '"constructor": {"prototype": {}}', '"prototype": 1'];
const UNKNOWN_KEYS = ['"isAdmin": true', '"surprise": null'];

type Random = ReturnType<typeof seededRandom>;

/** One function per class of malformation: each gives one case for a route. */
const CLASSES: ((target: Target, random: Random) => Malformed)[] = [
  (target, random) => {
    const depth = random.int(33, 4000);
    const nested = random.pick([true, false]) ? '['.repeat(depth) + ']'.repeat(depth) : '{"a":'.repeat(depth) + '1' + '}'.repeat(depth);
    const field = anyField(target, random);
    return { label: `${field} nested ${depth} deep`, target, headers: JSON_TYPE, body: withField(target, field, nested), expected: { status: 400, code: 'BODY_TOO_DEEP' } };
  },
  (target, random) => {
    const charset = random.pick(CHARSETS);
    const headers = { 'Content-Type': `application/json; charset=${charset}` };
    return { label: `charset=${charset}`, target, headers, body: JSON.stringify(target.valid), expected: { status: 415, code: 'UNSUPPORTED_MEDIA_TYPE' } };
  },
  (target, random) => {
    const encoding = random.pick(ENCODINGS);
    const compressed = random.pick([true, false]);
    const plain = JSON.stringify(target.valid);
    const headers = { ...JSON_TYPE, 'Content-Encoding': encoding };
    return { label: `Content-Encoding ${encoding} on a ${compressed ? 'gzipped' : 'plain'} body`, target, headers, body: compressed ? gzipSync(plain) : plain, expected: { status: 415, code: 'UNSUPPORTED_MEDIA_TYPE' } };
  },
  (target, random) => {
    const field = anyField(target, random);
    const text = random.pick(SURROGATES);
    return { label: `${field} = "${text}"`, target, headers: JSON_TYPE, body: withField(target, field, `"${text}"`), expected: { status: 400, code: 'MALFORMED_TEXT' } };
  },
  (target, random) => {
    const field = anyField(target, random);
    const bytes = Buffer.from(random.pick([[0xff], [0xfe, 0xff], [0xe5, 0xb1], [0xc0, 0xaf], [0xed, 0xa0, 0x80], [0xf8, 0x88, 0x80, 0x80, 0x80]]));
    const [before, after] = withField(target, field, '"__BYTES__"').split('__BYTES__');
    return { label: `${field} with bytes ${bytes.toString('hex')}`, target, headers: JSON_TYPE, body: Buffer.concat([Buffer.from(before), bytes, Buffer.from(after)]), expected: { status: 400, code: 'MALFORMED_TEXT' } };
  },
  (target, random) => {
    const size = random.int(65 * 1024, 700 * 1024);
    const field = anyField(target, random);
    return { label: `${size} bytes in ${field}`, target, headers: JSON_TYPE, body: withField(target, field, JSON.stringify('x'.repeat(size))), expected: { status: 413, code: 'PAYLOAD_TOO_LARGE' } };
  },
  (target, random) => {
    // A route without a body DTO ignores its fields' types: the edge's own refusals are all it can give.
    if (!target.hasBody) return CLASSES[random.int(0, 5)](target, random);
    const field = random.pick(Object.keys(target.properties));
    const value = random.pick(wrongValues(target.properties[field], target.required.includes(field), resolveSchema));
    return { label: `${field} = ${value.slice(0, 60)}`, target, headers: JSON_TYPE, body: withField(target, field, value), expected: { status: 400, code: 'VALIDATION_FAILED' } };
  },
  (target, random) => {
    // Keys no DTO can have are refused at the edge; other unknown ones by the DTO's validation, where the route has one.
    const extra = random.pick(target.hasBody ? [...FORBIDDEN_KEYS, ...UNKNOWN_KEYS] : FORBIDDEN_KEYS);
    const rest = JSON.stringify(target.valid).slice(1);
    const body = `{${extra}${rest === '}' ? '' : ', '}${rest}`;
    return { label: `extra ${extra}`, target, headers: JSON_TYPE, body, expected: { status: 400, code: 'VALIDATION_FAILED' } };
  },
  (target, random) => {
    // A body that parses can be refused only for what it lacks: where nothing is required it may be a valid command.
    const parses = target.required.length > 0 && random.pick([true, false]);
    const body = random.pick(parses ? PARSABLE_NON_OBJECTS : UNPARSABLE_JSON);
    const expected = parses ? { status: 400, code: 'VALIDATION_FAILED' } : { status: 400, code: 'MALFORMED_JSON' };
    return { label: `body ${JSON.stringify(body)}`, target, headers: JSON_TYPE, body, expected };
  },
  (target, random) => {
    const type = random.pick(BAD_TYPES);
    const headers: Record<string, string> = type ? { 'Content-Type': type } : {};
    return { label: `Content-Type ${JSON.stringify(type)}`, target, headers, body: JSON.stringify(target.valid), expected: { status: 415, code: 'UNSUPPORTED_MEDIA_TYPE' } };
  },
];
const JSON_TYPE = { 'Content-Type': 'application/json' };
let resolveSchema: (schema: Schema) => Schema = (schema) => schema;

/** Every class of malformation `rounds` times on every route, in a fixed pseudo-random order. */
function generate(targets: Target[], rounds: number): Malformed[] {
  const random = seededRandom(20260515);
  return targets.flatMap((target) => Array.from({ length: rounds }, () => CLASSES.map((make) => make(target, random))).flat());
}

/** Reads that must never 5xx either: paths and queries that do not decode or make no sense. */
const MALFORMED_READS = [
  '/orders/%', '/orders/%E0%A4%A', '/orders/%ED%A0%80', `/customers/${'a'.repeat(4000)}`, '/orders?page=-1', '/orders?page=abc&pageSize=1e400',
  '/orders?pageSize=100000', '/orders?status[]=PLACED', '/orders?status[$ne]=x', '/orders?q=%ED%A0%80', '/orders?q=%', '/orders?from=2026-13-45',
  '/contracts?page=99999999999999999999', '/invoices?month=2026-13', '/orders/..%2f..%2fetc%2fpasswd', '/orders?page=1&page=2',
];

describe('malformed input against the embedded app: 0 answers ≥ 500, nothing committed', () => {
  let h: Harness;
  let targets: Target[];
  const eventCounts = async () =>
    Object.fromEntries(await Promise.all(Object.entries(h.embedded.runtimes).map(async ([name, runtime]) => [name, (await runtime.eventStore.readAll()).length])));

  /** The first answer to each route's valid body, sent before any malformed one. */
  let validAnswers: string[];
  /** `POST /orders/{id}/place` …: every operation of the OpenAPI document that is not a read. */
  let documentedCommands: string[];
  let customerId: string;

  beforeAll(async () => {
    h = await new Harness().start();
    customerId = (await h.http().post('/customers', customerBody()).expect(201)).body.id;
    const document = (await h.http().get('/docs-json').expect(200)).body;
    resolveSchema = resolver(document);
    documentedCommands = Object.entries(document.paths as Record<string, Record<string, unknown>>).flatMap(([path, item]) =>
      Object.keys(item).filter((method) => ['post', 'put', 'patch', 'delete'].includes(method)).map((method) => `${method.toUpperCase()} ${path}`),
    );
    // Every command route of the role matrix, by the role the matrix lets call it, on unknown ids.
    targets = ROUTE_ACCESS.filter((route) => route.method !== 'GET').map((route) => {
      const operation = document.paths[route.path.replace(/:([A-Za-z]+)/g, '{$1}')]?.[route.method.toLowerCase()];
      if (!operation) throw new Error(`${route.method} ${route.path} is in the role matrix but not in the OpenAPI document`);
      const schemaRef = operation.requestBody?.content?.['application/json']?.schema;
      const schema: Schema = schemaRef ? resolveSchema(schemaRef) : {};
      const allowed = route.allowed === 'public' ? [] : route.allowed;
      return {
        route: `${route.method} ${route.path.replace(/:([A-Za-z]+)/g, '{$1}')}`,
        method: route.method.toLowerCase() as Target['method'],
        path: route.path.replace(/:[A-Za-z]+/g, UNKNOWN_ID),
        token: allowed.includes('admin-agent') ? asDirect : asDistributor,
        valid: schemaRef ? (sample(schema, resolveSchema) as Record<string, unknown>) : {},
        properties: schema.properties ?? {},
        required: schema.required ?? [],
        hasBody: !!schemaRef,
      };
    });
    validAnswers = [];
    for (const target of targets) {
      const res = await request(h.embedded.app.getHttpServer())[target.method](target.path).set('Authorization', `Bearer ${target.token}`).send(target.valid);
      validAnswers.push(`${target.method.toUpperCase()} ${target.path}: ${res.status} ${res.body?.code ?? ''}`);
    }
    await h.settle();
  });
  afterAll(() => h.stop());

  it('refuses an order over 100 lines with 400 naming lines before building its lines, and a 20,000-line one from its size alone', async () => {
    const before = await eventCounts();
    const lines = (count: number) => Array.from({ length: count }, () => ({ sku: 'MS-O365-E1', quantity: 1 }));
    for (const count of [101, 1_700]) {
      const body = { customerId, lines: lines(count) };
      // 1,700 lines stay under the 64 KB body limit: only the line limit can refuse them.
      if (count === 1_700) expect(JSON.stringify(body).length).toBeLessThan(64 * 1024);
      const over = await h.http().post('/orders', body).expect(400);
      expect(over.headers['content-type']).toMatch(/^application\/problem\+json/);
      // This detail comes only from the check on the plain body: the lines were never made objects and validated one by one.
      expect(over.body).toMatchObject({ code: 'VALIDATION_FAILED', detail: OVERSIZED_LISTS_DETAIL });
      expect(over.body.errors).toEqual([{ path: 'lines', message: `lines must contain no more than 100 elements (it holds ${count})` }]);
    }

    const huge = JSON.stringify({ customerId, lines: lines(20_000) });
    expect(huge.length).toBeGreaterThan(600_000);
    const refused = await request(h.embedded.app.getHttpServer())
      .post('/orders')
      .set('Authorization', `Bearer ${asDirect}`)
      .set('Content-Type', 'application/json')
      .send(huge)
      .expect(413);
    expect(refused.body).toMatchObject({ code: 'PAYLOAD_TOO_LARGE', detail: expect.stringContaining(`${huge.length} bytes`) });
    expect(await eventCounts()).toEqual(before);
  });

  it('generates for every command route from its OpenAPI body, whose valid sample passes validation', () => {
    // The malformations are refused because of what each changes, not because the sample was already invalid.
    expect(targets.map((target) => target.route).sort()).toEqual([...documentedCommands].sort());
    expect(validAnswers.filter((answer) => / (400|5\d\d) /.test(answer))).toEqual([]);
  });

  it('answers every one with a 4xx problem naming its code, and commits no event', async () => {
    const before = await eventCounts();
    const cases = generate(targets, 2);
    expect(cases.length).toBe(targets.length * CLASSES.length * 2);
    const wrong: string[] = [];
    for (const [index, malformed] of cases.entries()) {
      const { target } = malformed;
      let call = request(h.embedded.app.getHttpServer())[target.method](target.path).set('Authorization', `Bearer ${target.token}`);
      for (const [name, value] of Object.entries(malformed.headers)) call = call.set(name, value);
      if (index % 3 === 0) call = call.set('Idempotency-Key', `fuzz-${index}`);
      // As given, byte for byte: superagent would otherwise serialise a Buffer as JSON.
      const res = await call.serialize((body) => body).send(malformed.body as never);
      const problem = res.headers['content-type']?.startsWith('application/problem+json') && typeof res.body?.code === 'string';
      const expected = malformed.expected;
      if (res.status >= 500 || res.status < 400 || !problem || (expected && (res.status !== expected.status || res.body.code !== expected.code))) {
        wrong.push(`${target.method.toUpperCase()} ${target.path} ${malformed.label}: ${res.status} ${res.body?.code ?? res.text.slice(0, 80)}${expected ? ` (expected ${expected.status} ${expected.code})` : ''}`);
      }
    }
    for (const path of MALFORMED_READS) {
      const res = await h.http().get(path);
      if (res.status >= 500 || !res.headers['content-type']?.match(/application\/(problem\+)?json/)) wrong.push(`GET ${path}: ${res.status}`);
    }
    expect(wrong).toEqual([]);
    await h.settle();
    expect(await eventCounts()).toEqual(before);
  });
});
