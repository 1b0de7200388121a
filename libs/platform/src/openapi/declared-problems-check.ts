import { appendFileSync } from 'fs';
import type { HttpRequest } from '../http-types';
import { routePatternOf } from '../http/route-pattern';
import { makeProblem, Problem } from '../errors/problem';
import { platformRefusals } from './platform-refusals';
import { declaredRefusalsByRoute, routeKey } from './refuses';

/**
 * Keeps @Refuses honest while tests run. CHECK_DECLARED_PROBLEMS:
 * - `1`: a handler answering a 4xx code it did not declare gets a 500 UNDECLARED_PROBLEM instead,
 *   naming the route and the code, so the test that provoked it fails where it happened;
 * - `record:<file>`: every answered (route, status, code) is appended to <file> as a JSON line,
 *   declared or not (to write the declarations from what the tests provoke).
 * Unset (production), nothing is checked. Handlers without @Refuses are not checked.
 */
export const CHECK_DECLARED_PROBLEMS = 'CHECK_DECLARED_PROBLEMS';

export interface AnsweredProblem {
  route: string;
  status: number;
  code: string;
}

/** Every undeclared answer seen in this process, for a test to assert on after the fact. */
export const undeclaredProblems: AnsweredProblem[] = [];

let routes: Map<string, Record<string, string[]>> | undefined;

/** The problem to send: `problem` itself, or the 500 that reports it as undeclared. */
export function checkDeclaredProblem(request: Pick<HttpRequest, 'method'> & Partial<Pick<HttpRequest, 'routeOptions'>>, problem: Problem, env: NodeJS.ProcessEnv = process.env): Problem {
  const mode = env[CHECK_DECLARED_PROBLEMS];
  if (!mode || mode === '0' || problem.status < 400 || problem.status >= 500) return problem;
  // No route: refused before routing (body checks, an unknown path), which only platform codes do.
  const route = routePatternOf(request);
  if (route === undefined) return problem;
  const answered = { route: routeKey(request.method, route), status: problem.status, code: problem.code };
  if (mode.startsWith('record:')) {
    appendFileSync(mode.slice('record:'.length), JSON.stringify(answered) + '\n');
    return problem;
  }
  if (isDeclared(answered)) return problem;
  undeclaredProblems.push(answered);
  const detail = `${answered.route} answered ${answered.status} ${answered.code}, which its @Refuses does not declare`;
  console.error(`UNDECLARED_PROBLEM: ${detail}`);
  return makeProblem(500, 'UNDECLARED_PROBLEM', detail);
}

function isDeclared({ route, status, code }: AnsweredProblem): boolean {
  routes ??= declaredRefusalsByRoute();
  const declared = routes.get(route);
  if (!declared) return true;
  const isCommand = !route.startsWith('GET ');
  const platform = platformRefusals({ isCommand, hasBody: isCommand });
  return [...(declared[status] ?? []), ...(platform[status] ?? [])].includes(code);
}
