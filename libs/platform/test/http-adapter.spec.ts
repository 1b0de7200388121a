import { createHttpAdapter } from '../src/http-adapter';

/**
 * Fastify's schema compilers are loaded on a route's first schema (http-adapter.ts), not at start:
 * a route that declares one must still be validated and serialized by them.
 */
describe('createHttpAdapter', () => {
  it('validates and serializes a route that declares a JSON schema', async () => {
    const adapter = createHttpAdapter();
    const fastify = adapter.getInstance();
    fastify.post(
      '/echo',
      {
        schema: {
          body: { type: 'object', required: ['n'], properties: { n: { type: 'integer' } } },
          response: { 200: { type: 'object', properties: { n: { type: 'integer' } } } },
        },
      },
      async (request) => ({ ...(request.body as object), secret: 'not in the schema' }),
    );
    try {
      const bad = await fastify.inject({ method: 'POST', url: '/echo', payload: { n: 'one' } });
      expect(bad.statusCode).toBe(400);
      const good = await fastify.inject({ method: 'POST', url: '/echo', payload: { n: 1 } });
      expect(good.statusCode).toBe(200);
      expect(good.json()).toEqual({ n: 1 });
    } finally {
      await fastify.close();
    }
  });
});
