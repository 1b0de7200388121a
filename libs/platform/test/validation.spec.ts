import { Body, Controller, Post } from '@nestjs/common';
import { Type } from 'class-transformer';
import { ArrayMinSize, IsArray, IsEmail, IsInt, IsOptional, IsString, Min, ValidateNested, validateSync } from 'class-validator';
import request from 'supertest';
import { BUSINESS_DATE_PATTERN, IsBusinessDate, IsGuid, IsKatakana, IsMonth, isRealDate, IsPhoneNumber, IsPostalCode } from '../src';
import { keepValidationRules } from '../src/validation/metadata-cache';
import { createTestApp, TestApp } from './support/test-app';
import { bearer, tokenFor } from './support/tokens';

class LineDto {
  @IsString() sku!: string;
  @IsInt() @Min(1) quantity!: number;
}

class ContactDto {
  @IsString() name!: string;
  @IsEmail() email!: string;
}

class OrderDto {
  @IsString() customerId!: string;
  @IsArray() @ArrayMinSize(1) @ValidateNested({ each: true }) @Type(() => LineDto) lines!: LineDto[];
  @ValidateNested() @Type(() => ContactDto) contact!: ContactDto;
  @IsOptional() @IsBusinessDate() orderDate?: string;
}

@Controller('orders')
class OrdersController {
  @Post()
  create(@Body() body: OrderDto) {
    return { isDto: body instanceof OrderDto, lines: body.lines.length };
  }
}

describe('validation pipe', () => {
  let t: TestApp;
  const auth = bearer(tokenFor());
  beforeAll(async () => {
    t = await createTestApp([OrdersController]);
  });
  afterAll(() => t.app.close());

  const valid = { customerId: 'c-1', lines: [{ sku: 'A', quantity: 1 }], contact: { name: 'n', email: 'a@b.jp' } };

  it('accepts a valid body as a DTO instance', async () => {
    await request(t.server()).post('/orders').set('Authorization', auth).send(valid).expect(201, { isDto: true, lines: 1 });
  });

  it('lists every bad field, nested ones and unknown ones, in one 400', async () => {
    const res = await request(t.server())
      .post('/orders')
      .set('Authorization', auth)
      .send({
        lines: [{ sku: 'A', quantity: 1 }, { sku: 'B', quantity: 0, colour: 'red' }],
        contact: { name: 'n', email: 'nope' },
        orderDate: '2026-02-30',
        surprise: true,
      })
      .expect(400);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(res.body).toMatchObject({ status: 400, code: 'VALIDATION_FAILED' });
    const paths = new Set(res.body.errors.map((e: { path: string }) => e.path));
    expect([...paths].sort()).toEqual(
      ['contact.email', 'customerId', 'lines[1].colour', 'lines[1].quantity', 'orderDate', 'surprise'].sort(),
    );
    for (const error of res.body.errors) expect(typeof error.message).toBe('string');
  });
});

describe('custom validators', () => {
  class Sample {
    @IsOptional() @IsBusinessDate() date?: unknown;
    @IsOptional() @IsMonth() month?: unknown;
    @IsOptional() @IsGuid() guid?: unknown;
    @IsOptional() @IsPostalCode() postal?: unknown;
    @IsOptional() @IsKatakana() kana?: unknown;
    @IsOptional() @IsPhoneNumber() phone?: unknown;
  }
  const failures = (values: Partial<Sample>) =>
    validateSync(Object.assign(new Sample(), values)).map((error) => error.property);

  it.each([
    ['date', '2026-05-14', true],
    ['date', '2024-02-29', true],
    ['date', '2026-02-30', false],
    ['date', '2026-5-14', false],
    ['date', 20260514, false],
    ['date', '2000-01-01', true],
    ['date', '2099-12-31', true],
    ['date', '1999-12-31', false],
    ['date', '2100-01-01', false],
    ['date', '0000-01-01', false],
    ['date', '2025-02-29', false],
    ['date', '2000-02-29', true],
    ['date', '２０２６-05-14', false],
    ['month', '2026-05', true],
    ['month', '2026-13', false],
    ['month', '1900-01', false],
    ['month', '9999-12', false],
    ['month', '2099-12', true],
    ['guid', '3f2504e0-4f89-11d3-9a0c-0305e82c3301', true],
    ['guid', '3f2504e0-4f89-11d3-9a0c', false],
    ['postal', '1234567', true],
    ['postal', '123-4567', true],
    ['postal', '12-34567', false],
    ['postal', '123456', false],
    ['kana', 'カブシキガイシャ　テスト', true],
    ['kana', 'ヤマダ タロー', true],
    ['kana', 'やまだ', false],
    ['kana', 'ﾔﾏﾀﾞ', false],
    ['kana', '山田', false],
    ['phone', '03-1234-5678', true],
    ['phone', '09012345678', true],
    ['phone', '03-1234-567', false],
    ['phone', '090-1234-56789', false],
    ['phone', '03--12345678', false],
    ['phone', '+81312345678', false],
    ['phone', '０３-1234-5678', false],
  ])('%s %j valid=%s', (field, value, ok) => {
    expect(failures({ [field]: value }).includes(field)).toBe(!ok);
  });
});

describe('the business date pattern', () => {
  it('matches exactly the real calendar days of 1999-12 … 2100-01 that lie in 2000–2099', () => {
    const pattern = new RegExp(BUSINESS_DATE_PATTERN);
    const disagreements: string[] = [];
    for (let year = 1999; year <= 2100; year++) {
      for (let month = 1; month <= 12; month++) {
        for (let day = 0; day <= 32; day++) {
          const date = `${year}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
          const expected = isRealDate(date) && year >= 2000 && year <= 2099;
          if (pattern.test(date) !== expected) disagreements.push(date);
        }
      }
    }
    expect(disagreements).toEqual([]);
  });
});

describe('the validation rules kept per class (keepValidationRules)', () => {
  it('applies a rule added after the class was first validated, and to its subclasses', () => {
    keepValidationRules();
    class NoteDto {
      @IsString() text!: string;
    }
    class TaggedNoteDto extends NoteDto {
      @IsOptional() @IsString() tag?: string;
    }
    const note = Object.assign(new NoteDto(), { text: 'hello', author: 42 });
    const tagged = Object.assign(new TaggedNoteDto(), { text: 'hello', author: 42 });
    const options = { whitelist: true, forbidNonWhitelisted: true };
    expect(validateSync(note, options).map((error) => error.property)).toEqual(['author']);
    expect(validateSync(tagged, options).map((error) => error.property)).toEqual(['author']);
    // A decorator applied later, as a module loaded afterwards would: the kept rules are redone.
    IsString()(NoteDto.prototype, 'author');
    expect(validateSync(note, options).map((error) => error.property)).toEqual(['author']);
    expect(validateSync(note, options)[0].constraints).toEqual({ isString: 'author must be a string' });
    expect(validateSync(tagged, options)[0].constraints).toEqual({ isString: 'author must be a string' });
    expect(validateSync(Object.assign(new TaggedNoteDto(), { text: 'hello', author: 'me' }), options)).toEqual([]);
  });
});
