import { readFileSync, writeFileSync } from 'fs';
import { join } from 'path';
import { declaredRefusalsByRoute, ROLE_LABELS, ROLES, servedRoutes } from '@lp/platform';
import { FLAG_ACCESS, HttpMethod, ROUTE_ACCESS, RouteAccess } from '../../../libs/platform/src/auth/role-matrix';
import { Harness, Role, tokenFor } from './support/harness';

/**
 * The role matrix (libs/platform/src/auth/role-matrix.ts, shown in docs/roles.md) against the real
 * embedded app: every refused cell answers 403, every allowed cell gets past the guards (a 400 for
 * the empty body or a 404 for the made-up id is fine), and no route is served that the matrix
 * does not list. `UPDATE_ROLES_DOC=1` rewrites the table in docs/roles.md from the matrix.
 */
const DOC = join(__dirname, '../../../docs/roles.md');
const UNKNOWN_ID = 'role-matrix-unknown';
/** Swagger UI and its document are served outside the guards (public), not by a controller. */
const SWAGGER = /^\/docs(\/|-json$|-yaml$|$)/;

const tokens: Record<Role, string> = {
  'admin-agent': tokenFor('admin-agent', 'r-direct'),
  'sales-agent': tokenFor('sales-agent', 'r-direct'),
  'distributor-admin': tokenFor('distributor-admin'),
};

const routeKey = (method: string, path: string) => `${method.toUpperCase()} ${path}`;
const concrete = (path: string) => path.replace(/:[A-Za-z]+/g, UNKNOWN_ID);

const allows = (route: Pick<RouteAccess, 'allowed'>, role: Role) => route.allowed === 'public' || route.allowed.includes(role);
const cells = ROUTE_ACCESS.flatMap((route) => ROLES.map((role) => ({ ...route, role, label: `${role} → ${routeKey(route.method, route.path)}` })));
const flagCells = FLAG_ACCESS.flatMap((rule) =>
  ROLES.map((role) => ({ ...rule, role, label: `${role} → ${routeKey(rule.method, rule.path)} with ${rule.flag}: true` })),
);

describe('role matrix (docs/roles.md)', () => {
  let h: Harness;
  beforeAll(async () => (h = await new Harness().start()));
  afterAll(() => h.stop());

  const call = (method: HttpMethod, path: string, token: string | null, body: object = {}) => {
    const http = h.http(token);
    if (method === 'GET') return http.get(path);
    if (method === 'DELETE') return http.delete(path);
    return method === 'PUT' ? http.put(path, body) : http.post(path, body);
  };

  const expectAllowed = (answer: { status: number; body: { code?: string; detail?: string } }) => {
    expect([401, 403]).not.toContain(answer.status);
    // A 404 must come from the handler (unknown id), not from a route that does not exist.
    expect(answer.body?.detail ?? '').not.toMatch(/^Cannot (GET|POST|PUT|DELETE) /);
  };

  it('lists every route the app serves, and only those', () => {
    const served = servedRoutes(h.embedded.app)
      .filter((route) => !SWAGGER.test(route.path))
      .map((route) => routeKey(route.method, route.path));
    const listed = ROUTE_ACCESS.map((route) => routeKey(route.method, route.path));
    expect({ missingFromMatrix: served.filter((key) => !listed.includes(key)), notServed: listed.filter((key) => !served.includes(key)) }).toEqual({
      missingFromMatrix: [],
      notServed: [],
    });
    expect(new Set(listed).size).toBe(listed.length);
  });

  it('every guarded route declares the problems it may answer (@Refuses): OpenAPI lists their codes, and the test harness refuses any other', () => {
    const declared = declaredRefusalsByRoute();
    const undeclared = ROUTE_ACCESS.filter((route) => route.allowed !== 'public')
      .map((route) => routeKey(route.method, route.path))
      .filter((key) => !declared.has(key));
    expect(undeclared).toEqual([]);
  });

  it('names only listed routes for its body flags', () => {
    const listed = ROUTE_ACCESS.map((route) => routeKey(route.method, route.path));
    for (const rule of FLAG_ACCESS) expect(listed).toContain(routeKey(rule.method, rule.path));
  });

  it.each(cells)('$label', async (cell) => {
    const answer = await call(cell.method, concrete(cell.path), tokens[cell.role]);
    if (allows(cell, cell.role)) return expectAllowed(answer);
    expect(answer.status).toBe(403);
    expect(answer.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(answer.body.code).toBe('FORBIDDEN');
  });

  it.each(ROUTE_ACCESS.filter((route) => route.allowed === 'public'))('no token → $method $path (public)', async (route) => {
    expectAllowed(await call(route.method, concrete(route.path), null));
  });

  it.each(ROUTE_ACCESS.filter((route) => route.allowed !== 'public'))('no token → $method $path: 401', async (route) => {
    expect((await call(route.method, concrete(route.path), null)).status).toBe(401);
  });

  it.each(flagCells)('$label', async (cell) => {
    const answer = await call(cell.method, concrete(cell.path), tokens[cell.role], { [cell.flag]: true });
    if (cell.allowed.includes(cell.role)) return expectAllowed(answer);
    expect(answer.status).toBe(403);
    expect(answer.body.code).toBe(`${cell.flag.toUpperCase()}_NOT_ALLOWED`);
  });

  it('is the table in docs/roles.md', () => {
    const doc = readFileSync(DOC, 'utf8');
    const [before, rest] = doc.split(TABLE_START);
    const after = rest?.split(TABLE_END)[1];
    expect(after).toBeDefined();
    const expected = `${before}${TABLE_START}\n${renderTable()}\n${TABLE_END}${after}`;
    if (process.env.UPDATE_ROLES_DOC === '1') writeFileSync(DOC, expected);
    else expect(doc).toBe(expected);
  });
});

const TABLE_START = '<!-- role matrix: generated from libs/platform/src/auth/role-matrix.ts -->';
const TABLE_END = '<!-- end of role matrix -->';

function renderTable(): string {
  const header = `| method and path | ${ROLES.map((role) => ROLE_LABELS[role]).join(' | ')} | why |`;
  const rule = `| --- | ${ROLES.map(() => '---').join(' | ')} | --- |`;
  const cell = (allowed: RouteAccess['allowed'], role: Role) => (allowed === 'public' ? 'public (no token)' : allowed.includes(role) ? 'allowed' : '**refused**');
  const routes = ROUTE_ACCESS.map((route) => `| \`${routeKey(route.method, route.path)}\` | ${ROLES.map((role) => cell(route.allowed, role)).join(' | ')} | ${route.why} |`);
  const flags = FLAG_ACCESS.map(
    (flag) => `| \`${routeKey(flag.method, flag.path)}\` with \`"${flag.flag}": true\` | ${ROLES.map((role) => cell(flag.allowed, role)).join(' | ')} | ${flag.why} |`,
  );
  return [header, rule, ...routes, ...flags].join('\n');
}
