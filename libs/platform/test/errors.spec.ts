import { Body, Controller, Get, HttpException, NotFoundException, Param, Post } from '@nestjs/common';
import request from 'supertest';
import { DomainError, DomainErrorKind, WrongExpectedVersionError } from '@lp/eventsourcing';
import { makeProblem, ProblemException, toProblem } from '../src';
import { createTestApp, TestApp } from './support/test-app';
import { bearer, tokenFor } from './support/tokens';

@Controller('fail')
class FailingController {
  @Get('domain/:kind')
  domain(@Param('kind') kind: DomainErrorKind) {
    const errors = kind === 'invalid' ? [{ path: 'x', message: 'bad x' }] : undefined;
    throw new DomainError(kind, 'SOME_RULE', `refused by ${kind}`, errors);
  }

  @Get('concurrent')
  concurrent() {
    throw new WrongExpectedVersionError('order-1', 3, 4);
  }

  @Get('crash')
  crash() {
    throw new Error('secret database password in message');
  }

  @Post('echo')
  echo(@Body() body: unknown) {
    return body;
  }
}

describe('problem+json errors', () => {
  let t: TestApp;
  const auth = bearer(tokenFor());
  beforeAll(async () => {
    t = await createTestApp([FailingController]);
  });
  afterAll(() => t.app.close());

  it.each([
    ['conflict', 409],
    ['rule', 422],
    ['forbidden', 403],
    ['not-found', 404],
    ['invalid', 400],
  ])('maps DomainError %s to %i', async (kind, status) => {
    const res = await request(t.server()).get(`/fail/domain/${kind}`).set('Authorization', auth).expect(status);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(res.body).toMatchObject({
      type: 'https://licence-platform.dev/problems/some-rule',
      status,
      code: 'SOME_RULE',
      detail: `refused by ${kind}`,
    });
    expect(typeof res.body.title).toBe('string');
    if (kind === 'invalid') expect(res.body.errors).toEqual([{ path: 'x', message: 'bad x' }]);
    else expect(res.body.errors).toBeUndefined();
  });

  it('maps a lost optimistic race to 409 CONCURRENT_MODIFICATION', async () => {
    const res = await request(t.server()).get('/fail/concurrent').set('Authorization', auth).expect(409);
    expect(res.body).toMatchObject({ code: 'CONCURRENT_MODIFICATION', type: 'https://licence-platform.dev/problems/concurrent-modification' });
  });

  it('hides unexpected errors behind 500 INTERNAL_ERROR', async () => {
    const res = await request(t.server()).get('/fail/crash').set('Authorization', auth).expect(500);
    expect(res.body).toMatchObject({ status: 500, code: 'INTERNAL_ERROR' });
    expect(JSON.stringify(res.body)).not.toMatch(/password|at .*\.ts/);
  });

  it('answers unknown routes with 404 NOT_FOUND', async () => {
    const res = await request(t.server()).get('/nowhere').expect(404);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(res.body).toMatchObject({ status: 404, code: 'NOT_FOUND' });
  });

  it('answers malformed JSON with 400 MALFORMED_JSON', async () => {
    const res = await request(t.server())
      .post('/fail/echo')
      .set('Authorization', auth)
      .set('Content-Type', 'application/json')
      .send('{"a": ')
      .expect(400);
    expect(res.body).toMatchObject({ status: 400, code: 'MALFORMED_JSON' });
    expect(res.headers['x-correlation-id']).toBeDefined();
  });

  it('answers a too large body with 413 PAYLOAD_TOO_LARGE', async () => {
    const res = await request(t.server())
      .post('/fail/echo')
      .set('Authorization', auth)
      .send({ big: 'x'.repeat(20_000) })
      .expect(413);
    expect(res.body).toMatchObject({ status: 413, code: 'PAYLOAD_TOO_LARGE' });
  });
});

describe('toProblem', () => {
  it('keeps the code and field errors of a ProblemException', () => {
    const problem = toProblem(new ProblemException(400, 'VALIDATION_FAILED', 'bad', [{ path: 'a', message: 'm' }]));
    expect(problem).toEqual(makeProblem(400, 'VALIDATION_FAILED', 'bad', [{ path: 'a', message: 'm' }]));
  });

  it('derives a code from the status of plain HttpExceptions', () => {
    expect(toProblem(new NotFoundException('Cannot GET /x'))).toMatchObject({ status: 404, code: 'NOT_FOUND', detail: 'Cannot GET /x' });
    expect(toProblem(new HttpException('slow down', 429))).toMatchObject({ status: 429, code: 'TOO_MANY_REQUESTS' });
  });

  it('never leaks the message of an unknown error', () => {
    expect(toProblem(new TypeError('x is undefined'))).toEqual(makeProblem(500, 'INTERNAL_ERROR', 'An unexpected error occurred'));
    expect(toProblem('a string')).toMatchObject({ status: 500 });
  });
});
