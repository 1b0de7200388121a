import { Controller, Get } from '@nestjs/common';
import request from 'supertest';
import { createTestApp, TestApp } from './support/test-app';

@Controller('customers')
class CustomersController {
  @Get()
  list() {
    return [];
  }
}

describe('OpenAPI', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp([CustomersController], { openApi: { title: 'Order service', version: '1.2.3' } });
  });
  afterAll(() => t.app.close());

  it('serves the document with the bearer scheme at /docs-json, without a token', async () => {
    const res = await request(t.server()).get('/docs-json').expect(200);
    expect(res.body.info).toMatchObject({ title: 'Order service', version: '1.2.3' });
    expect(res.body.components.securitySchemes.bearer).toMatchObject({ type: 'http', scheme: 'bearer' });
    expect(Object.keys(res.body.paths)).toContain('/customers');
    expect(Object.keys(res.body.paths)).not.toContain('/health/live');
  });

  it('serves Swagger UI at /docs', async () => {
    const res = await request(t.server()).get('/docs').redirects(1).expect(200);
    expect(res.text).toMatch(/swagger/i);
  });
});
