import { request as httpRequest } from 'http';
import { AddressInfo } from 'net';
import { gzipSync } from 'zlib';
import { Body, Controller, Post } from '@nestjs/common';
import { Type } from 'class-transformer';
import { IsEmail, IsString, ValidateNested } from 'class-validator';
import request from 'supertest';
import { inspectJson } from '../src/request-body/body-shape';
import { contentTypeRefusal } from '../src/request-body/body-headers';
import { parseByteSize } from '../src/request-body/byte-size';
import { createTestApp, TestApp } from './support/test-app';
import { bearer, tokenFor } from './support/tokens';

class ContactDto {
  @IsString() name!: string;
  @IsEmail() email!: string;
}

class CustomerDto {
  @IsString() companyName!: string;
  @ValidateNested() @Type(() => ContactDto) contact!: ContactDto;
}

@Controller('edge')
class EdgeController {
  static calls = 0;

  @Post('echo')
  echo(@Body() body: unknown) {
    EdgeController.calls++;
    return body;
  }

  @Post('customers')
  customer(@Body() body: CustomerDto) {
    EdgeController.calls++;
    return body;
  }
}

const nestedArrays = (depth: number) => '['.repeat(depth) + ']'.repeat(depth);
const nestedObjects = (depth: number) => '{"a":'.repeat(depth) + '1' + '}'.repeat(depth);

describe('request bodies at the HTTP edge', () => {
  let t: TestApp;
  const auth = bearer(tokenFor());
  const post = (path: string, contentType = 'application/json') =>
    request(t.server()).post(path).set('Authorization', auth).set('Content-Type', contentType);
  const expectProblem = (res: request.Response, status: number, code: string) => {
    expect(res.status).toBe(status);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(res.body).toMatchObject({ status, code });
  };

  /** Sends `chunks`; unless `end`, then waits without ending the body: only an answer made from the headers arrives. */
  async function rawPost(headers: Record<string, string | number>, chunks: (string | Buffer)[], end = false, path = '/edge/echo') {
    const server = t.server();
    if (!server.listening) await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    return new Promise<{ status?: number; type?: string; body: string }>((resolve, reject) => {
      const req = httpRequest({ port, host: '127.0.0.1', method: 'POST', path, headers: { authorization: auth, 'content-type': 'application/json', ...headers } });
      req.on('response', (res) => {
        let body = '';
        res.on('data', (chunk) => (body += chunk));
        res.on('end', () => {
          req.destroy();
          resolve({ status: res.statusCode, type: res.headers['content-type'], body });
        });
      });
      req.on('error', reject);
      for (const chunk of chunks) req.write(chunk);
      if (end) req.end();
    });
  }

  beforeAll(async () => {
    t = await createTestApp([EdgeController], { bodyLimit: '10kb' });
  });
  beforeEach(() => (EdgeController.calls = 0));
  afterAll(() => t.app.close());

  describe('nesting', () => {
    it.each([
      ['2,000 nested arrays', nestedArrays(2000)],
      ['1,000 nested objects', nestedObjects(1000)],
      ['33 levels', `{"x": ${nestedArrays(32)}}`],
    ])('answers 400 BODY_TOO_DEEP to %s, before any handler', async (_label, body) => {
      expectProblem(await post('/edge/customers').send(body), 400, 'BODY_TOO_DEEP');
      expect(EdgeController.calls).toBe(0);
    });

    it('accepts 32 levels', async () => {
      await post('/edge/echo').send(`{"x": ${nestedArrays(31)}}`).expect(201);
    });
  });

  describe('charsets and encodings', () => {
    const body = JSON.stringify({ companyName: 'A', contact: { name: 'n', email: 'a@b.jp' } });

    it.each(['latin1', 'utf8', 'ascii', 'iso-8859-1', 'utf-16', 'bogus', ''])('answers 415 to charset=%j', async (charset) => {
      const res = await post('/edge/customers', `application/json; charset=${charset}`).send(body);
      expectProblem(res, 415, 'UNSUPPORTED_MEDIA_TYPE');
      expect(res.body.detail).toMatch(/utf-8/);
      expect(EdgeController.calls).toBe(0);
    });

    it.each(['utf-8', 'UTF-8', '"utf-8"'])('accepts charset=%s', async (charset) => {
      await post('/edge/customers', `application/json; charset=${charset}`).send(body).expect(201);
    });

    it.each(['text/plain', 'application/x-www-form-urlencoded', 'application/json-seq', 'multipart/form-data; boundary=x'])(
      'answers 415 to a %s body',
      async (type) => {
        expectProblem(await post('/edge/customers', type).send(body), 415, 'UNSUPPORTED_MEDIA_TYPE');
      },
    );

    it.each([
      ['bogus', Buffer.from(body)],
      ['gzip on a plain body', Buffer.from(body)],
      ['gzip', gzipSync(body)],
      ['deflate', Buffer.from(body)],
      ['br', Buffer.from(body)],
    ])('answers 415 to Content-Encoding %s', async (label, payload) => {
      const encoding = label.split(' ')[0];
      const res = await rawPost({ 'content-encoding': encoding, 'content-length': payload.length }, [payload], true, '/edge/customers');
      expect(res.status).toBe(415);
      expect(res.type).toMatch(/^application\/problem\+json/);
      expect(JSON.parse(res.body).code).toBe('UNSUPPORTED_MEDIA_TYPE');
      expect(EdgeController.calls).toBe(0);
    });

    it('tells which part of the Content-Type is refused', () => {
      expect(contentTypeRefusal('application/json')).toBeUndefined();
      expect(contentTypeRefusal('Application/JSON; charset=UTF-8')).toBeUndefined();
      expect(contentTypeRefusal('application/json; charset=latin1')).toMatch(/charset "latin1"/);
      expect(contentTypeRefusal(undefined)).toMatch(/must be application\/json/);
    });
  });

  describe('text that is not Unicode', () => {
    it('answers 400 naming every field holding a lone surrogate', async () => {
      const raw = '{"companyName": "A\\ud800", "contact": {"name": "n", "email": "a\\udfff@b.jp"}}';
      const res = await post('/edge/customers').send(raw);
      expectProblem(res, 400, 'MALFORMED_TEXT');
      expect(res.body.errors.map((error: { path: string }) => error.path)).toEqual(['companyName', 'contact.email']);
      expect(EdgeController.calls).toBe(0);
    });

    it('names a key and an array element too', async () => {
      const res = await post('/edge/echo').send('{"lines": ["ok", "\\ud800"], "\\udc00": 1}');
      expectProblem(res, 400, 'MALFORMED_TEXT');
      expect(res.body.errors.map((error: { path: string }) => error.path)).toEqual(['lines[1]', '\udc00']);
    });

    it('refuses __proto__, constructor and prototype keys like any unknown field (the validation pipe cannot see them)', async () => {
      const raw = '{"companyName": "A", "__proto__": {"isDistributor": true}, "contact": {"name": "n", "email": "a@b.jp", "constructor": {"prototype": 1}}}';
      const res = await post('/edge/customers').send(raw);
      expectProblem(res, 400, 'VALIDATION_FAILED');
      expect(res.body.errors).toEqual([
        { path: '__proto__', message: 'property __proto__ should not exist' },
        { path: 'contact.constructor', message: 'property constructor should not exist' },
        { path: 'contact.constructor.prototype', message: 'property prototype should not exist' },
      ]);
      expect(EdgeController.calls).toBe(0);
    });

    it.each([
      ['a lone 0xff', [0xff]],
      ['a truncated sequence', [0xe5, 0xb1]],
      ['an overlong encoding', [0xc0, 0xaf]],
      ['an encoded surrogate', [0xed, 0xa0, 0x80]],
    ])('answers 400 MALFORMED_TEXT to bytes that are not UTF-8 (%s) instead of storing U+FFFD', async (_label, bytes) => {
      const body = Buffer.concat([Buffer.from('{"companyName": "A'), Buffer.from(bytes), Buffer.from('", "contact": {"name": "n", "email": "a@b.jp"}}')]);
      const res = await rawPost({ 'content-length': body.length }, [body], true, '/edge/customers');
      expect(res.status).toBe(400);
      expect(JSON.parse(res.body)).toMatchObject({ code: 'MALFORMED_TEXT', detail: 'The request body is not valid UTF-8' });
      expect(EdgeController.calls).toBe(0);
    });

    it('accepts surrogate pairs (emoji) and plain Japanese', async () => {
      const res = await post('/edge/echo').send('{"name": "\\ud83d\\ude00 山田"}').expect(201);
      expect(res.body.name).toBe('😀 山田');
    });
  });

  describe('size', () => {
    it('answers 413 PAYLOAD_TOO_LARGE by Content-Length, before reading the body', async () => {
      const answer = await rawPost({ 'content-length': 5_000_000 }, ['{"x": "' + 'a'.repeat(1024)]);
      expect(answer.status).toBe(413);
      expect(answer.type).toMatch(/^application\/problem\+json/);
      expect(JSON.parse(answer.body)).toMatchObject({ code: 'PAYLOAD_TOO_LARGE', detail: expect.stringContaining('5000000 bytes') });
      expect(EdgeController.calls).toBe(0);
    });

    it('answers 413 to a chunked body (no Content-Length) that grows past the limit', async () => {
      const answer = await rawPost({ 'transfer-encoding': 'chunked' }, ['{"x": "', 'a'.repeat(6_000), 'a'.repeat(6_000), '"}'], true);
      expect(answer.status).toBe(413);
      expect(JSON.parse(answer.body)).toMatchObject({ code: 'PAYLOAD_TOO_LARGE' });
    });

    it('reads body-parser sizes', () => {
      expect(parseByteSize('64kb')).toBe(65_536);
      expect(parseByteSize('1mb')).toBe(1_048_576);
      expect(parseByteSize('4096')).toBe(4096);
      expect(() => parseByteSize('lots')).toThrow(/Not a byte size/);
    });
  });

  it.each([
    ['a JSON string', '"text"'],
    ['a number', '42'],
    ['null', 'null'],
    ['truncated JSON', '{"a": '],
    ['trailing garbage', '{"a": 1} x'],
  ])('answers 400 MALFORMED_JSON to %s', async (_label, body) => {
    expectProblem(await post('/edge/customers').send(body), 400, 'MALFORMED_JSON');
  });

  it('answers 400 to a path that does not decode', async () => {
    const res = await request(t.server()).post('/edge/%E0%A4%A').set('Authorization', auth);
    expect(res.status).toBeGreaterThanOrEqual(400);
    expect(res.status).toBeLessThan(500);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
  });
});

describe('inspectJson', () => {
  it('measures depth without recursion', () => {
    expect(inspectJson(JSON.parse(nestedArrays(100_000)), 32)).toMatchObject({ tooDeep: true, malformedText: [] });
    expect(inspectJson({ a: [{ b: 1 }] }, 3)).toEqual({ tooDeep: false, malformedText: [], forbiddenKeys: [] });
    expect(inspectJson({ a: [{ b: 1 }] }, 2).tooDeep).toBe(true);
  });
});
