import { Body, Controller, Post } from '@nestjs/common';
import request from 'supertest';
import { IdListField, IntField, NestedField, NestedListField, OVERSIZED_LISTS_DETAIL, TextField } from '../src';
import { oversizedLists } from '../src/request-body/list-limits';
import { createTestApp, TestApp } from './support/test-app';
import { bearer, tokenFor } from './support/tokens';

class PartDto {
  @IdListField({ maxItems: 2 }) tags!: string[];
}

class LineDto {
  @IntField({ min: 1, max: 9 }) quantity!: number;
  @NestedListField(PartDto, { optional: true, maxItems: 3 }) parts?: PartDto[];
}

class BaseDto {
  @IdListField({ optional: true, maxItems: 2 }) lineIds?: string[];
}

class OrderDto extends BaseDto {
  @NestedListField(LineDto, { minItems: 1, maxItems: 3 }) lines!: LineDto[];
  @NestedField(PartDto, { optional: true }) main?: PartDto;
}

@Controller('limited')
class LimitedController {
  static built = 0;

  @Post()
  create(@Body() body: OrderDto) {
    LimitedController.built++;
    return { lines: body.lines.length };
  }
}

class TextDto {
  @TextField({ maxLength: 5 }) name!: string;
}

const lines = (count: number) => Array.from({ length: count }, () => ({ quantity: 1 }));

describe('oversizedLists (list limits read from the field decorators)', () => {
  it('names each list over its limit, in nested objects, list items and base classes alike', () => {
    const body = {
      lineIds: ['a', 'b', 'c'],
      lines: [{ quantity: 1, parts: [{ tags: ['x', 'y', 'z'] }] }],
      main: { tags: ['1', '2', '3', '4'] },
    };
    expect(oversizedLists(body, OrderDto)).toEqual([
      { path: 'lineIds', message: 'lineIds must contain no more than 2 elements (it holds 3)' },
      { path: 'lines[0].parts[0].tags', message: 'tags must contain no more than 2 elements (it holds 3)' },
      { path: 'main.tags', message: 'tags must contain no more than 2 elements (it holds 4)' },
    ]);
  });

  it('passes lists within their limits, and leaves every other mistake to the validation pipe', () => {
    expect(oversizedLists({ lines: lines(3), lineIds: 'not a list', main: [1, 2, 3] }, OrderDto)).toEqual([]);
    expect(oversizedLists({ lines: [null, 'x', [1, 2, 3, 4]] }, OrderDto)).toEqual([]);
    expect(oversizedLists([1, 2, 3, 4], OrderDto)).toEqual([]);
    expect(oversizedLists({ name: ['a', 'b', 'c'] }, TextDto)).toEqual([]);
  });

  it('does not look into the items of a list it refuses', () => {
    const items = lines(4).map(() => ({ get parts(): never { throw new Error('visited') } }));
    expect(oversizedLists({ lines: items }, OrderDto)).toEqual([expect.objectContaining({ path: 'lines' })]);
  });
});

describe('the validation pipe refuses oversized lists before building objects', () => {
  let t: TestApp;
  const post = (body: object) => request(t.server()).post('/limited').set('Authorization', bearer(tokenFor())).send(body);
  beforeAll(async () => {
    t = await createTestApp([LimitedController]);
  });
  beforeEach(() => (LimitedController.built = 0));
  afterAll(() => t.app.close());

  it('answers 400 naming the list, with the early check’s detail, and calls no handler', async () => {
    const res = await post({ lines: lines(50), surprise: true }).expect(400);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(res.body).toMatchObject({ code: 'VALIDATION_FAILED', detail: OVERSIZED_LISTS_DETAIL });
    expect(res.body.errors).toEqual([{ path: 'lines', message: 'lines must contain no more than 3 elements (it holds 50)' }]);
    expect(LimitedController.built).toBe(0);
  });

  it('leaves a body within the limits to the usual validation, every bad field named', async () => {
    const res = await post({ lines: [{ quantity: 0 }], surprise: true }).expect(400);
    expect(res.body.detail).not.toBe(OVERSIZED_LISTS_DETAIL);
    expect(res.body.errors.map((error: { path: string }) => error.path).sort()).toEqual(['lines[0].quantity', 'surprise']);
    await post({ lines: lines(3) }).expect(201, { lines: 3 });
  });
});
