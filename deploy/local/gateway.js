#!/usr/bin/env node
// The whole HTTP API at one base URL for the distributed mode without Docker: what deploy/nginx does in
// the compose stack, for the four services started by hand on their own ports. Node only, no packages.
//
//   node deploy/local/gateway.js          # http://localhost:8080 → order :3001, provisioning :3002, contract :3003, billing :3004
//
// GATEWAY_PORT (default 8080, as the compose gateway); ORDER_URL, PROVISIONING_URL, CONTRACT_URL,
// BILLING_URL (default http://127.0.0.1:3001 … :3004). The routes are nginx.conf's, in the same order
// of precedence; keep the two in step.
'use strict';
const http = require('http');

const SERVICES = ['order', 'provisioning', 'contract', 'billing'];

/** `/name` itself or anything below `/name/`, as nginx's `location = /name` plus `location /name/`. */
const under = (path, name) => path === name || path.startsWith(`${name}/`);

/** Which service serves `path` (no query) and as which path; undefined: the gateway's own 404. */
function routeOf(path) {
  // A customer's tenants belong to provisioning, although the rest of /customers is the order service's.
  if (/^\/customers\/[^/]+\/tenants(\/|$)/.test(path)) return { service: 'provisioning', path };
  // Each service's own health, metrics, ops and docs as /<service>/…; billing's API (/billing/runs) stays below.
  const own = /^\/(order|provisioning|contract|billing)\/(health\/.*|metrics|ops\/.*|docs.*|asyncapi\.json)$/.exec(path);
  if (own) return { service: own[1], path: `/${own[2]}` };
  if (['/customers', '/products', '/orders'].some((name) => under(path, name))) return { service: 'order', path };
  if (['/tenants', '/provisioning'].some((name) => under(path, name)) || path.startsWith('/subscriptions/')) return { service: 'provisioning', path };
  if (['/contracts', '/contract-changes'].some((name) => under(path, name))) return { service: 'contract', path };
  if (['/billing', '/invoices'].some((name) => under(path, name))) return { service: 'billing', path };
  if (path.startsWith('/docs')) return { service: 'order', path };
  // The console: every service serves it for the paths it owns; these are the order service's.
  if (['/', '/signin', '/operations', '/dev/sample-tokens'].includes(path) || path.startsWith('/assets/')) return { service: 'order', path };
  if (path === '/subscriptions') return { service: 'provisioning', path };
  return undefined;
}

function upstreamsFrom(env) {
  return Object.fromEntries(SERVICES.map((service, index) => [service, env[`${service.toUpperCase()}_URL`] || `http://127.0.0.1:${3001 + index}`]));
}

function problem(res, status, detail) {
  res.writeHead(status, { 'Content-Type': 'application/problem+json' });
  res.end(JSON.stringify({ type: 'about:blank', title: http.STATUS_CODES[status], status, detail }));
}

/** Starts the gateway; resolves with the listening server. */
function startGateway({ port, upstreams }) {
  const agent = new http.Agent({ keepAlive: true, maxSockets: 16 });
  const server = http.createServer((req, res) => {
    const url = new URL(req.url, 'http://gateway');
    if (url.pathname === '/healthz') {
      res.writeHead(200, { 'Content-Type': 'text/plain' });
      res.end('ok\n');
      return;
    }
    const route = routeOf(url.pathname);
    if (!route) return problem(res, 404, 'No service serves this path');
    const target = new URL(route.path + url.search, upstreams[route.service]);
    const forwarded = req.headers['x-forwarded-for'];
    const upstream = http.request(
      target,
      {
        method: req.method,
        agent,
        headers: {
          ...req.headers,
          'x-forwarded-for': forwarded ? `${forwarded}, ${req.socket.remoteAddress}` : req.socket.remoteAddress,
          'x-forwarded-proto': 'http',
          'x-forwarded-host': req.headers.host ?? '',
        },
      },
      (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      },
    );
    upstream.on('error', (error) => {
      if (res.headersSent) return res.destroy(error);
      problem(res, 502, `${route.service} at ${upstreams[route.service]} does not answer (${error.code ?? error.message})`);
    });
    req.pipe(upstream);
  });
  server.on('close', () => agent.destroy());
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, () => resolve(server));
  });
}

module.exports = { routeOf, startGateway, upstreamsFrom };

if (require.main === module) {
  const port = Number(process.env.GATEWAY_PORT || 8080);
  const upstreams = upstreamsFrom(process.env);
  startGateway({ port, upstreams }).then(
    () => console.log(`gateway on http://localhost:${port}: ${SERVICES.map((s) => `${s} → ${upstreams[s]}`).join(', ')}`),
    (error) => {
      console.error(`gateway: cannot listen on ${port}: ${error.message}`);
      process.exit(1);
    },
  );
  for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => process.exit(0));
}
