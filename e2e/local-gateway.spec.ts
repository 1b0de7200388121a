import { readFileSync } from 'fs';
import { createServer, Server } from 'http';
import { AddressInfo } from 'net';
import { join } from 'path';

const ROOT = join(__dirname, '..');

interface Route {
  service: string;
  path: string;
}
const gateway: {
  routeOf(path: string): Route | undefined;
  startGateway(options: { port: number; upstreams: Record<string, string> }): Promise<Server>;
} = require(join(ROOT, 'deploy', 'local', 'gateway.js'));

const portOf = (server: Server) => (server.address() as AddressInfo).port;
const close = (server: Server) => {
  server.closeAllConnections();
  return new Promise((resolve) => server.close(resolve));
};

describe('deploy/local/gateway.js routes by path as deploy/nginx/nginx.conf', () => {
  const nginx = readFileSync(join(ROOT, 'deploy', 'nginx', 'nginx.conf'), 'utf8');

  it("sends every exact and prefix location of nginx.conf to nginx's upstream", () => {
    const locations = [...nginx.matchAll(/location (=\s+)?(\/[\w/-]*)\s*\{\s*proxy_pass http:\/\/(\w+);/g)];
    expect(locations.length).toBeGreaterThan(15);
    for (const [, exact, path, service] of locations) {
      const probe = exact ? path : `${path}${path.endsWith('/') ? '' : '/'}some-id`;
      expect({ probe, route: gateway.routeOf(probe) }).toEqual({ probe, route: { service, path: probe } });
    }
  });

  it.each([
    ['/customers/c-1/tenants', 'provisioning', '/customers/c-1/tenants'],
    ['/customers/c-1/tenants/t-1', 'provisioning', '/customers/c-1/tenants/t-1'],
    ['/customers/c-1', 'order', '/customers/c-1'],
    ['/customers/c-1/tenantsx', 'order', '/customers/c-1/tenantsx'],
    ['/billing/runs', 'billing', '/billing/runs'],
    ['/billing/health/ready', 'billing', '/health/ready'],
    ['/order/metrics', 'order', '/metrics'],
    ['/contract/ops/projections/contracts/rebuild', 'contract', '/ops/projections/contracts/rebuild'],
    ['/provisioning/docs', 'provisioning', '/docs'],
    ['/contract/asyncapi.json', 'contract', '/asyncapi.json'],
    ['/provisioning/subscriptions', 'provisioning', '/provisioning/subscriptions'],
    ['/docs', 'order', '/docs'],
    ['/docs-json', 'order', '/docs-json'],
    // The console: its start page, files and own screens at order; a page of a resource at its owner.
    ['/', 'order', '/'],
    ['/assets/index-abc123.js', 'order', '/assets/index-abc123.js'],
    ['/operations', 'order', '/operations'],
    ['/subscriptions', 'provisioning', '/subscriptions'],
  ])('%s → %s %s', (path, service, upstreamPath) => {
    expect(gateway.routeOf(path)).toEqual({ service, path: upstreamPath });
  });

  it.each(['/health/ready', '/ordersx', '/operationsx', '/shipping/health/ready'])('%s is no service’s', (path) => {
    expect(gateway.routeOf(path)).toBeUndefined();
  });
});

describe('deploy/local/gateway.js proxies', () => {
  let upstream: Server;
  let proxy: Server;
  let base: string;

  beforeAll(async () => {
    // Answers with what it received, so the test sees what the gateway passed on.
    upstream = createServer((req, res) => {
      let body = '';
      req.on('data', (chunk) => (body += chunk));
      req.on('end', () => {
        res.writeHead(req.url?.includes('refuse') ? 409 : 200, { 'Content-Type': 'application/json', 'X-Upstream': 'yes' });
        res.end(JSON.stringify({ method: req.method, url: req.url, authorization: req.headers.authorization, forwardedHost: req.headers['x-forwarded-host'], body }));
      });
    });
    await new Promise<void>((resolve) => upstream.listen(0, '127.0.0.1', resolve));
    const up = `http://127.0.0.1:${portOf(upstream)}`;
    // billing's upstream listens nowhere: a service that is down.
    proxy = await gateway.startGateway({ port: 0, upstreams: { order: up, provisioning: up, contract: up, billing: 'http://127.0.0.1:1' } });
    base = `http://127.0.0.1:${portOf(proxy)}`;
  });

  afterAll(async () => {
    await close(proxy);
    await close(upstream);
  });

  it('passes method, path, query, headers and body on, and the answer back with its status', async () => {
    const answer = await fetch(`${base}/contracts/k-1/confirm?refuse=1`, { method: 'POST', headers: { Authorization: 'Bearer t', 'Content-Type': 'application/json' }, body: '{"startDate":"2026-05-20"}' });
    expect(answer.status).toBe(409);
    expect(answer.headers.get('x-upstream')).toBe('yes');
    expect(await answer.json()).toEqual({ method: 'POST', url: '/contracts/k-1/confirm?refuse=1', authorization: 'Bearer t', forwardedHost: `127.0.0.1:${portOf(proxy)}`, body: '{"startDate":"2026-05-20"}' });
  });

  it('answers 404 problem+json for a path no service serves, 502 naming the service that does not answer, 200 on /healthz', async () => {
    const unknown = await fetch(`${base}/nowhere`);
    expect(unknown.status).toBe(404);
    expect(unknown.headers.get('content-type')).toBe('application/problem+json');
    const down = await fetch(`${base}/invoices`);
    expect(down.status).toBe(502);
    expect(((await down.json()) as { detail: string }).detail).toMatch(/^billing at http:\/\/127\.0\.0\.1:1 does not answer/);
    expect((await fetch(`${base}/healthz`)).status).toBe(200);
  });
});
