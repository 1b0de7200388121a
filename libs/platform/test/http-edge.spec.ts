import { Controller, Get, Param, Post } from '@nestjs/common';
import request from 'supertest';
import { createTestApp, TestApp } from './support/test-app';
import { bearer, tokenFor } from './support/tokens';

@Controller('widgets')
class WidgetsController {
  @Get(':id')
  one(@Param('id') id: string) {
    return { id };
  }

  @Post(':id')
  touch(@Param('id') id: string) {
    return { id, touched: true };
  }
}

/** What clients have always been answered at the edge, whichever HTTP framework is underneath. */
describe('the HTTP edge', () => {
  let t: TestApp;
  const auth = bearer(tokenFor());
  const get = (path: string) => request(t.server()).get(path).set('Authorization', auth);
  beforeAll(async () => {
    t = await createTestApp([WidgetsController]);
  });
  afterAll(() => t.app.close());

  it('tags answers with a weak ETag and answers 304 to a GET that names it', async () => {
    const first = await get('/widgets/w-1').expect(200);
    expect(first.headers.etag).toMatch(/^W\/"[0-9a-f]+-[A-Za-z0-9+/]{27}"$/);
    const again = await get('/widgets/w-1').set('If-None-Match', first.headers.etag).expect(304);
    expect(again.text).toBe('');
    await get('/widgets/w-1').set('If-None-Match', first.headers.etag).set('Cache-Control', 'no-cache').expect(200);
    await get('/widgets/w-2').set('If-None-Match', first.headers.etag).expect(200, { id: 'w-2' });
  });

  it('routes a trailing slash and any letter case to the same route, keeping the id as sent', async () => {
    await get('/widgets/w-1/').expect(200, { id: 'w-1' });
    await get('/WIDGETS/Mixed-Case').expect(200, { id: 'Mixed-Case' });
  });

  it('hands an id of any length to its handler', async () => {
    const id = 'x'.repeat(2000);
    await get(`/widgets/${id}`).expect(200, { id });
  });

  it('reads a JSON body on a GET too: a malformed one is refused, a GET without one is served', async () => {
    const res = await get('/widgets/w-1').set('Content-Type', 'application/json').send('{"a": ');
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({ code: 'MALFORMED_JSON' });
    await get('/widgets/w-1').set('Content-Type', 'application/json').expect(200, { id: 'w-1' });
  });

  it('names the part of a path that does not decode', async () => {
    const res = await get('/widgets/%E0%A4%A').expect(400);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(res.body).toMatchObject({ code: 'BAD_REQUEST', detail: "Failed to decode param '%E0%A4%A'" });
    expect(res.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
    expect(res.headers['x-correlation-id']).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('tags only answers to a GET or HEAD, whether the app or the router answered', async () => {
    expect((await get('/widgets/%E0%A4%A').expect(400)).headers.etag).toMatch(/^W\//);
    expect((await get('/widgets/w-1').expect(200)).headers.etag).toMatch(/^W\//);
    const post = (path: string) => request(t.server()).post(path).set('Authorization', auth).send({});
    expect((await post('/widgets/%E0%A4%A').expect(400)).headers.etag).toBeUndefined();
    expect((await post('/widgets/w-1').expect(201)).headers.etag).toBeUndefined();
  });

  it('answers a path that does not route with a problem+json 404', async () => {
    const res = await get('/nope').expect(404);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(res.body).toMatchObject({ status: 404, code: 'NOT_FOUND', detail: 'Cannot GET /nope' });
  });
});
