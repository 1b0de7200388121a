import { Body, Controller, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import request from 'supertest';
import { DateField, DocumentNumberField, IntField, MonthField, NestedField, PageQueryDto, Refuses, TextField } from '../src';
import { createTestApp, TestApp } from './support/test-app';
import { bearer, tokenFor } from './support/tokens';

class ContactDto {
  @TextField({ maxLength: 20 }) name!: string;
}

class OrderDto {
  @TextField({ maxLength: 20 }) customerId!: string;
  @DocumentNumberField('NOD') orderNumber?: string;
  @DateField({ optional: true }) orderDate?: string;
  @MonthField({ optional: true }) month?: string;
  @IntField({ min: 1, max: 10, optional: true }) quantity?: number;
  @NestedField(ContactDto) contact!: ContactDto;
}

@Controller('orders')
class OrdersController {
  @Post()
  create(@Body() body: OrderDto) {
    return body;
  }

  @Get()
  list(@Query() query: PageQueryDto) {
    return query;
  }

  @Post(':id/accept')
  @HttpCode(200)
  @Refuses({ 404: ['ORDER_NOT_FOUND'], 409: ['INVALID_STATE'] })
  accept(@Param('id') id: string) {
    return { id };
  }
}

type Responses = Record<string, { content?: Record<string, { schema: { $ref: string } }> }>;

describe('the OpenAPI document tells the truth', () => {
  let t: TestApp;
  let document: {
    paths: Record<string, Record<string, { responses: Responses }>>;
    components: { schemas: Record<string, { properties: Record<string, Record<string, unknown>>; additionalProperties?: boolean; required?: string[] }> };
  };
  beforeAll(async () => {
    t = await createTestApp([OrdersController], { openApi: { title: 'test', version: '1' } });
    document = (await request(t.server()).get('/docs-json').expect(200)).body;
  });
  afterAll(() => t.app.close());

  const statuses = (path: string, method: string) => Object.keys(document.paths[path][method].responses).sort();

  it('declares the refusals each operation can give', () => {
    expect(statuses('/orders', 'post')).toEqual(['201', '400', '401', '403', '404', '409', '413', '415', '422']);
    expect(statuses('/orders', 'get')).toEqual(['200', '400', '401', '403']);
  });

  it('an operation with @Refuses declares what its handler declared and the platform’s own refusals, no more', () => {
    expect(statuses('/orders/{id}/accept', 'post')).toEqual(['200', '400', '401', '403', '404', '409', '422', '503']);
    const conflict = document.paths['/orders/{id}/accept'].post.responses['409'].content?.['application/problem+json'].schema as unknown as { allOf: object[] };
    expect(conflict.allOf).toEqual([
      { $ref: '#/components/schemas/Problem' },
      { type: 'object', properties: { code: { type: 'string', enum: ['CONCURRENT_MODIFICATION', 'INVALID_STATE', 'REQUEST_IN_PROGRESS'] } } },
    ]);
  });

  it('as application/problem+json with the shape the error filter serves', async () => {
    const refusal = document.paths['/orders'].post.responses['400'];
    expect(refusal.content?.['application/problem+json'].schema.$ref).toBe('#/components/schemas/Problem');
    const problem = document.components.schemas.Problem;
    expect(problem.required).toEqual(['type', 'title', 'status', 'detail', 'code']);
    const served = await request(t.server()).post('/orders').set('Authorization', bearer(tokenFor())).send({ month: '2026-13' }).expect(400);
    for (const field of Object.keys(served.body)) expect(Object.keys(problem.properties)).toContain(field);
    const errorFields = Object.keys((problem.properties.errors as { items: { properties: object } }).items.properties);
    expect(errorFields.sort()).toEqual(Object.keys(served.body.errors[0]).sort());
  });

  it('request schemas state the validation rules: formats, patterns, bounds, required, no extra fields', () => {
    const order = document.components.schemas.OrderDto;
    expect(order.additionalProperties).toBe(false);
    expect(order.required?.sort()).toEqual(['contact', 'customerId']);
    expect(order.properties.orderDate).toMatchObject({ type: 'string', format: 'date', pattern: expect.any(String) });
    expect(order.properties.quantity).toMatchObject({ type: 'integer', minimum: 1, maximum: 10 });
    expect(order.properties.customerId).toMatchObject({ type: 'string', minLength: 1, maxLength: 20, pattern: expect.any(String) });
  });

  // The schema's pattern is the server's rule: what one accepts, so does the other.
  it.each([
    ['orderDate', '2024-02-29', true],
    ['orderDate', '2025-02-29', false],
    ['orderDate', '2026-04-31', false],
    ['orderDate', '2000-01-01', true],
    ['orderDate', '2099-12-31', true],
    ['orderDate', '1999-12-31', false],
    ['orderDate', '0000-01-01', false],
    ['month', '2099-12', true],
    ['month', '9999-12', false],
    ['orderNumber', 'NOD202605-0000000001', true],
    ['orderNumber', '', true],
    ['orderNumber', 'NOD199901-0000000001', false],
    ['orderNumber', 'hello', false],
    ['customerId', '\u3000', false],
    ['customerId', '\ufeff', false],
  ])('%s %j: schema and server agree (valid=%s)', async (field, value, valid) => {
    const pattern = new RegExp(document.components.schemas.OrderDto.properties[field].pattern as string);
    expect(pattern.test(value)).toBe(valid);
    const body = { customerId: 'c-1', contact: { name: 'n' }, [field]: value };
    const res = await request(t.server()).post('/orders').set('Authorization', bearer(tokenFor())).send(body);
    expect(res.status).toBe(valid ? 201 : 400);
  });

  describe('the headers of commands', () => {
    type Header = { name: string; in: string; required?: boolean; schema: { type: string; pattern?: string } };
    const operation = (path: string, method: string) =>
      document.paths[path][method] as unknown as { parameters?: Header[]; responses: Record<string, { headers?: Record<string, { schema: object }> }> };
    const keyParameter = (path: string, method: string) => operation(path, method).parameters?.find((parameter) => parameter.in === 'header' && parameter.name === 'Idempotency-Key');
    const accept = (key: string) => request(t.server()).post('/orders/o-1/accept').set('Authorization', bearer(tokenFor())).set('Idempotency-Key', key);

    it('declares the Idempotency-Key every command takes, and no query', () => {
      expect(keyParameter('/orders', 'post')).toMatchObject({ required: false, schema: { type: 'string' } });
      expect(keyParameter('/orders/{id}/accept', 'post')).toMatchObject({ required: false, schema: { type: 'string' } });
      expect(keyParameter('/orders', 'get')).toBeUndefined();
    });

    // The parameter's pattern is the guard's rule: what one accepts, so does the other.
    it.each([
      ['k-1', true],
      ['~'.repeat(255), true],
      ['~'.repeat(256), false],
      ['with space', false],
      ['', false],
    ])('Idempotency-Key %j: schema and server agree (valid=%s)', async (key, valid) => {
      expect(new RegExp(keyParameter('/orders/{id}/accept', 'post')!.schema.pattern!).test(key)).toBe(valid);
      const answer = await accept(key);
      expect(answer.status).toBe(valid ? 200 : 400);
      if (!valid) expect(answer.body.code).toBe('INVALID_IDEMPOTENCY_KEY');
    });

    it('declares the headers a command’s answer may carry, and a repeat with the same key carries the one it says', async () => {
      const answered = operation('/orders/{id}/accept', 'post').responses['200'].headers ?? {};
      expect(Object.keys(answered).sort()).toEqual(['Idempotent-Recovered', 'Idempotent-Replayed', 'X-View-Stale']);
      await accept('repeat-me').expect(200);
      const repeat = await accept('repeat-me').expect(200);
      expect(repeat.headers['idempotent-replayed']).toBe('true');
      expect(answered['Idempotent-Replayed'].schema).toEqual({ type: 'string', enum: ['true'] });
    });

    it('declares Retry-After with every 503', () => {
      expect(operation('/orders/{id}/accept', 'post').responses['503'].headers?.['Retry-After']).toMatchObject({ schema: { type: 'integer' } });
    });
  });
});
