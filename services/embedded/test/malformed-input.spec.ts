import { randomUUID } from 'crypto';
import { gzipSync } from 'zlib';
import request from 'supertest';
import { OVERSIZED_LISTS_DETAIL } from '@lp/platform';
import { asDirect, asDistributor, customerBody, Harness } from './support/harness';

/**
 * A few hundred malformed requests, generated from a fixed seed, thrown at the real embedded app:
 * not one may answer 5xx, each must be problem+json with a code (the expected one where the class
 * of malformation decides it), and no event store may grow.
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

type FieldKind = 'string' | 'number' | 'list';

interface Target {
  method: 'post' | 'put';
  path: string;
  token: string;
  /** A body the route would accept (and commit): every malformation below must make it refused. */
  valid: Record<string, unknown>;
  /** Required fields, where a wrong type is always refused (an optional field may take null). */
  required: Record<string, FieldKind>;
}

interface Malformed {
  label: string;
  target: Target;
  headers: Record<string, string>;
  body: string | Buffer;
  /** The answer this class of malformation must get; undefined: any 4xx problem. */
  expected?: { status: number; code: string };
}

const MARK = '"__MARK__"';
/** The valid body as JSON with one required field's value replaced by raw JSON text. */
const withField = (target: Target, field: string, rawValue: string) =>
  JSON.stringify({ ...target.valid, [field]: '__MARK__' }).replace(MARK, () => rawValue);

const WRONG_VALUES: Record<FieldKind, string[]> = {
  string: ['123', 'true', '[]', '{}', 'null', '["x"]', '{"$gt": ""}', '-0', '1e400'],
  number: ['"3"', 'true', '[]', '{}', 'null', '1.5', '-1', '1e400', '"NaN"', '9007199254740993'],
  list: ['"x"', '123', '{}', 'null', '[1, 2]', '[[]]', '[{}]'],
};
const CHARSETS = ['latin1', 'utf8', 'ascii', 'iso-8859-1', 'utf-16', 'utf-16le', 'utf-32', 'windows-1252', 'bogus', '"latin1"', ''];
const ENCODINGS = ['gzip', 'deflate', 'br', 'bogus', 'gzip, identity', 'x-gzip', 'compress', 'zstd', 'identity, gzip'];
const SURROGATES = ['\\ud800', '\\udfff', 'a\\udbffb', '\\ud800\\ud800', '\\udc00\\ud800', 'x@\\ud800.jp'];
const BAD_TYPES = ['text/plain', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x', 'application/xml', 'application/jsonx', 'application/json-patch+json', ''];
const BROKEN_JSON = ['', '{', '{"a": ', '{"a": 1,}', "{'a': 1}", '{"a": NaN}', '{"a": 1} // c', '"text"', '42', 'null', 'true', '\ufeff{}', '{"a": 1}}', '[1, 2', '[]', '[{}]'];

function generate(targets: Target[], count: number): Malformed[] {
  const random = seededRandom(20260515);
  const json = { 'Content-Type': 'application/json' };
  const classes: ((target: Target) => Malformed)[] = [
    (target) => {
      const depth = random.int(33, 4000);
      const nested = random.pick([true, false]) ? '['.repeat(depth) + ']'.repeat(depth) : '{"a":'.repeat(depth) + '1' + '}'.repeat(depth);
      const field = random.pick(Object.keys(target.required));
      return { label: `${field} nested ${depth} deep`, target, headers: json, body: withField(target, field, nested), expected: { status: 400, code: 'BODY_TOO_DEEP' } };
    },
    (target) => {
      const charset = random.pick(CHARSETS);
      const headers = { 'Content-Type': `application/json; charset=${charset}` };
      return { label: `charset=${charset}`, target, headers, body: JSON.stringify(target.valid), expected: { status: 415, code: 'UNSUPPORTED_MEDIA_TYPE' } };
    },
    (target) => {
      const encoding = random.pick(ENCODINGS);
      const compressed = random.pick([true, false]);
      const plain = JSON.stringify(target.valid);
      const headers = { ...json, 'Content-Encoding': encoding };
      return { label: `Content-Encoding ${encoding} on a ${compressed ? 'gzipped' : 'plain'} body`, target, headers, body: compressed ? gzipSync(plain) : plain, expected: { status: 415, code: 'UNSUPPORTED_MEDIA_TYPE' } };
    },
    (target) => {
      const field = random.pick(Object.keys(target.required).filter((name) => target.required[name] === 'string'));
      const text = random.pick(SURROGATES);
      return { label: `${field} = "${text}"`, target, headers: json, body: withField(target, field, `"${text}"`), expected: { status: 400, code: 'MALFORMED_TEXT' } };
    },
    (target) => {
      const field = random.pick(Object.keys(target.required).filter((name) => target.required[name] === 'string'));
      const bytes = Buffer.from(random.pick([[0xff], [0xfe, 0xff], [0xe5, 0xb1], [0xc0, 0xaf], [0xed, 0xa0, 0x80], [0xf8, 0x88, 0x80, 0x80, 0x80]]));
      const [before, after] = withField(target, field, '"__BYTES__"').split('__BYTES__');
      return { label: `${field} with bytes ${bytes.toString('hex')}`, target, headers: json, body: Buffer.concat([Buffer.from(before), bytes, Buffer.from(after)]), expected: { status: 400, code: 'MALFORMED_TEXT' } };
    },
    (target) => {
      const size = random.int(65 * 1024, 700 * 1024);
      const field = random.pick(Object.keys(target.required));
      return { label: `${size} bytes in ${field}`, target, headers: json, body: withField(target, field, JSON.stringify('x'.repeat(size))), expected: { status: 413, code: 'PAYLOAD_TOO_LARGE' } };
    },
    (target) => {
      const field = random.pick(Object.keys(target.required));
      const value = random.pick(WRONG_VALUES[target.required[field]]);
      return { label: `${field} = ${value}`, target, headers: json, body: withField(target, field, value), expected: { status: 400, code: 'VALIDATION_FAILED' } };
    },
    (target) => {
      const extra = random.pick(['"__proto__": {"isDistributor": true}', '"constructor": {"prototype": {}}', '"prototype": 1', '"isAdmin": true', '"surprise": null']);
      const body = JSON.stringify(target.valid).replace(/^\{/, `{${extra}, `);
      return { label: `extra ${extra}`, target, headers: json, body, expected: { status: 400, code: 'VALIDATION_FAILED' } };
    },
    (target) => {
      const body = random.pick(BROKEN_JSON);
      // No body at all, or an empty object after a byte order mark: the route refuses the missing fields.
      const parses = ['', '\ufeff{}', '[]', '[{}]'].includes(body);
      const expected = parses ? { status: 400, code: 'VALIDATION_FAILED' } : { status: 400, code: 'MALFORMED_JSON' };
      return { label: `body ${JSON.stringify(body)}`, target, headers: json, body, expected };
    },
    (target) => {
      const type = random.pick(BAD_TYPES);
      const headers: Record<string, string> = type ? { 'Content-Type': type } : {};
      return { label: `Content-Type ${JSON.stringify(type)}`, target, headers, body: JSON.stringify(target.valid), expected: { status: 415, code: 'UNSUPPORTED_MEDIA_TYPE' } };
    },
  ];
  return Array.from({ length: count }, (_, index) => classes[index % classes.length](random.pick(targets)));
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

  beforeAll(async () => {
    h = await new Harness().start();
    const customer = await h.http().post('/customers', customerBody()).expect(201);
    const customerId = customer.body.id as string;
    const order = await h.http().post('/orders', { customerId, lines: [{ sku: 'MS-O365-E1', quantity: 3 }] }).expect(201);
    const orderId = order.body.id as string;
    const tenant = { tenantId: randomUUID(), primaryDomain: 'fuzz.onmicrosoft.com' };
    targets = [
      { method: 'post', path: '/customers', token: asDirect, valid: customerBody(), required: { companyName: 'string', companyNameKana: 'string', siteName: 'string' } },
      { method: 'post', path: '/orders', token: asDirect, valid: { customerId, lines: [{ sku: 'MS-O365-E1', quantity: 3 }] }, required: { customerId: 'string', lines: 'list' } },
      { method: 'post', path: `/customers/${customerId}/tenants`, token: asDirect, valid: tenant, required: { tenantId: 'string', primaryDomain: 'string' } },
      { method: 'put', path: `/orders/${orderId}/provisioning-target`, token: asDirect, valid: { tenantId: customerId }, required: { tenantId: 'string' } },
      {
        method: 'post',
        path: '/contracts',
        token: asDirect,
        valid: { orderId, lineIds: [order.body.lines[0].id], subject: 's', subjectForForms: 's', contractDate: '2026-05-15' },
        required: { orderId: 'string', lineIds: 'list', subject: 'string', contractDate: 'string' },
      },
      {
        method: 'post',
        path: '/billing/usage',
        token: asDistributor,
        valid: { usageId: 'u-1', lineId: 'l-1', month: '2026-05', amount: 100, description: 'Azure' },
        required: { usageId: 'string', month: 'string', amount: 'number', description: 'string' },
      },
    ];
    await h.settle();
  });
  afterAll(() => h.stop());

  it('refuses an order over 100 lines with 400 naming lines before building its lines, and a 20,000-line one from its size alone', async () => {
    const before = await eventCounts();
    const customerId = (targets[1].valid as { customerId: string }).customerId;
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

  it('answers every one with a 4xx problem naming its code, and commits no event', async () => {
    const before = await eventCounts();
    const cases = generate(targets, 400);
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
