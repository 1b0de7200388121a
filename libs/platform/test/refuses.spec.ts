import { Body, Controller, Get, HttpCode, Param, Post } from '@nestjs/common';
import request from 'supertest';
import { conflict, notFound, ruleViolation } from '@lp/eventsourcing';
import { CHECK_DECLARED_PROBLEMS, Refuses, TextField, undeclaredProblems } from '../src';
import { createTestApp, TestApp } from './support/test-app';
import { bearer, tokenFor } from './support/tokens';

class ConfirmDto {
  @TextField({ maxLength: 20 }) startDate!: string;
}

@Controller('contracts')
class ContractsController {
  @Get(':id')
  @Refuses({ 404: ['CONTRACT_NOT_FOUND'] })
  get(@Param('id') id: string) {
    throw notFound('CONTRACT_NOT_FOUND', `No contract ${id}`);
  }

  @Post(':id/confirm')
  @HttpCode(200)
  @Refuses({ 404: ['CONTRACT_NOT_FOUND'], 409: ['PROVISIONING_NOT_COMPLETE', 'CONTRACT_CANCELLED'] })
  confirm(@Param('id') id: string, @Body() body: ConfirmDto) {
    if (id === 'pending') throw conflict('PROVISIONING_NOT_COMPLETE', 'Not provisioned yet');
    // A rule the declaration forgot: what the checker is for.
    if (id === 'old') throw ruleViolation('START_DATE_IN_PAST', 'Too old');
    return { id, ...body };
  }

  @Post(':id/archive')
  @HttpCode(200)
  archive(@Param('id') id: string) {
    throw ruleViolation('ANYTHING_GOES', `Not declared, and ${id}'s handler has no @Refuses`);
  }
}

type Schema = { $ref?: string; allOf?: Schema[]; properties?: Record<string, { enum?: string[] }> };
type Responses = Record<string, { description: string; content: Record<string, { schema: Schema }> }>;

const post = (t: TestApp, path: string) => request(t.server()).post(path).set('Authorization', bearer(tokenFor())).send({ startDate: '2026-06-01' });

describe('@Refuses in the OpenAPI document', () => {
  let t: TestApp;
  let paths: Record<string, Record<string, { responses: Responses } & Record<string, unknown>>>;
  beforeAll(async () => {
    t = await createTestApp([ContractsController], { openApi: { title: 'test', version: '1' } });
    paths = (await request(t.server()).get('/docs-json').expect(200)).body.paths;
  });
  afterAll(() => t.app.close());

  const codes = (path: string, method: string, status: string) => {
    const schema = paths[path][method].responses[status].content['application/problem+json'].schema;
    expect(schema.allOf?.[0].$ref).toBe('#/components/schemas/Problem');
    return schema.allOf?.[1].properties?.code.enum;
  };

  it('declares per status exactly the codes the handler declared, plus the platform’s own', () => {
    expect(Object.keys(paths['/contracts/{id}/confirm'].post.responses).sort()).toEqual(['200', '400', '401', '403', '404', '409', '413', '415', '422', '503']);
    expect(codes('/contracts/{id}/confirm', 'post', '404')).toEqual(['CONTRACT_NOT_FOUND']);
    expect(codes('/contracts/{id}/confirm', 'post', '409')).toEqual(['CONCURRENT_MODIFICATION', 'CONTRACT_CANCELLED', 'PROVISIONING_NOT_COMPLETE', 'REQUEST_IN_PROGRESS']);
    expect(codes('/contracts/{id}/confirm', 'post', '400')).toEqual(expect.arrayContaining(['MALFORMED_JSON', 'VALIDATION_FAILED', 'INVALID_IDEMPOTENCY_KEY']));
    expect(codes('/contracts/{id}/confirm', 'post', '422')).toEqual(['IDEMPOTENCY_KEY_REUSED']);
    expect(codes('/contracts/{id}/confirm', 'post', '401')).toEqual(['UNAUTHORIZED']);
    expect(codes('/contracts/{id}/confirm', 'post', '503')).toEqual(['DEPENDENCY_UNAVAILABLE', 'STORE_UNAVAILABLE']);
  });

  it('a read declares no command refusals and no body checks', () => {
    expect(Object.keys(paths['/contracts/{id}'].get.responses).sort()).toEqual(['200', '400', '401', '403', '404', '503']);
    expect(codes('/contracts/{id}', 'get', '400')).toEqual(['BAD_REQUEST', 'VALIDATION_FAILED']);
  });

  it('leaves no trace of the extension it was carried in', () => {
    expect(Object.keys(paths['/contracts/{id}/confirm'].post).filter((key) => key.startsWith('x-'))).toEqual([]);
  });

  it('an operation without @Refuses keeps the guessed statuses with any code', () => {
    const responses = paths['/contracts/{id}/archive'].post.responses;
    expect(Object.keys(responses).sort()).toEqual(['200', '400', '401', '403', '404', '409', '422']);
    expect(responses['422'].content['application/problem+json'].schema).toEqual({ $ref: '#/components/schemas/Problem' });
  });

  it('refuses a status that is not 4xx when declared', () => {
    expect(() => Refuses({ 500: ['OOPS'] })).toThrow(/500 is not a 4xx/);
  });
});

describe(`the ${CHECK_DECLARED_PROBLEMS} check`, () => {
  let t: TestApp;
  const before = process.env[CHECK_DECLARED_PROBLEMS];
  beforeAll(async () => {
    process.env[CHECK_DECLARED_PROBLEMS] = '1';
    t = await createTestApp([ContractsController]);
  });
  afterAll(async () => {
    if (before === undefined) delete process.env[CHECK_DECLARED_PROBLEMS];
    else process.env[CHECK_DECLARED_PROBLEMS] = before;
    await t.app.close();
  });

  it('lets a declared code through as it is', async () => {
    const res = await post(t, '/contracts/pending/confirm').expect(409);
    expect(res.body.code).toBe('PROVISIONING_NOT_COMPLETE');
  });

  it('lets the platform’s codes through without a declaration', async () => {
    const res = await request(t.server()).post('/contracts/pending/confirm').send({}).expect(401);
    expect(res.body.code).toBe('UNAUTHORIZED');
    const invalid = await request(t.server()).post('/contracts/x/confirm').set('Authorization', bearer(tokenFor())).send({ startDate: 1 }).expect(400);
    expect(invalid.body.code).toBe('VALIDATION_FAILED');
  });

  it('turns an undeclared code into a 500 naming the route, status and code, and remembers it', async () => {
    jest.spyOn(console, 'error').mockImplementation(() => undefined);
    const res = await post(t, '/contracts/old/confirm').expect(500);
    expect(res.body).toMatchObject({ code: 'UNDECLARED_PROBLEM', detail: expect.stringContaining('POST /contracts/:id/confirm answered 422 START_DATE_IN_PAST') });
    expect(undeclaredProblems).toContainEqual({ route: 'POST /contracts/:id/confirm', status: 422, code: 'START_DATE_IN_PAST' });
  });

  it('does not check a handler without @Refuses', async () => {
    await post(t, '/contracts/a/archive').expect(422);
  });

  it('checks nothing when unset', async () => {
    delete process.env[CHECK_DECLARED_PROBLEMS];
    await post(t, '/contracts/old/confirm').expect(422);
    process.env[CHECK_DECLARED_PROBLEMS] = '1';
  });
});
