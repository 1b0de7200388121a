/** Exit codes of the ops CLI (also in its --help). */
export const EXIT = {
  ok: 0,
  /** The API refused the request (4xx): bad input, unknown name, not allowed. */
  refused: 1,
  /** Wrong command line. */
  usage: 2,
  /** The server could not be reached or failed (5xx). */
  unavailable: 3,
  /** A dry run was shown and not confirmed. */
  notConfirmed: 4,
  /** No token, or one the API did not accept (401) or that may not do this (403). */
  token: 5,
} as const;

/** How to get a token that works, for every message about a token. */
const TOKEN_HINT = 'give --token or set OPS_TOKEN: a distributor-admin token, e.g. `npm run -s token -- --role distributor-admin`';
/** RFC 6750's b64token: what a bearer token can be. Anything else would not even make a valid header. */
const BEARER_TOKEN = /^[A-Za-z0-9\-._~+/]+=*$/;

export class CliError extends Error {
  constructor(
    message: string,
    readonly exitCode: number,
  ) {
    super(message);
  }
}

export interface Connection {
  url: string;
  token?: string;
}

/** Calls the ops API; a problem+json answer becomes a CliError naming the status, code and bad fields. */
export async function call(connection: Connection, method: 'GET' | 'POST', path: string, body?: object): Promise<Response> {
  // Checked before sending: fetch refuses such a header value with an error that reads like a network failure.
  if (connection.token && !BEARER_TOKEN.test(connection.token)) {
    throw new CliError(`the token is malformed (a bearer token is one word of letters, digits and -._~+/): ${TOKEN_HINT}`, EXIT.token);
  }
  let response: Response;
  try {
    response = await fetch(new URL(path, connection.url), {
      method,
      headers: {
        accept: 'application/json, application/x-ndjson',
        ...(connection.token && { authorization: `Bearer ${connection.token}` }),
        ...(body && { 'content-type': 'application/json' }),
      },
      body: body && JSON.stringify(body),
    });
  } catch (error) {
    const reason = error instanceof Error && error.cause instanceof Error ? error.cause.message : String(error);
    throw new CliError(`cannot reach ${connection.url}: ${reason}`, EXIT.unavailable);
  }
  if (response.ok) return response;
  if (response.status === 401 || response.status === 403) throw new CliError(tokenProblem(response.status, await problemText(response), !!connection.token), EXIT.token);
  throw new CliError(await problemText(response), response.status >= 500 ? EXIT.unavailable : EXIT.refused);
}

export async function callJson<T>(connection: Connection, method: 'GET' | 'POST', path: string, body?: object): Promise<T> {
  return (await (await call(connection, method, path, body)).json()) as T;
}

async function problemText(response: Response): Promise<string> {
  const text = await response.text();
  try {
    const problem = JSON.parse(text) as { title?: string; detail?: string; code?: string; errors?: { path: string; message: string }[] };
    const fields = (problem.errors ?? []).map((error) => `\n  ${error.path}: ${error.message}`).join('');
    return `${response.status} ${problem.code ?? problem.title ?? ''}: ${problem.detail ?? problem.title ?? text}${fields}`;
  } catch {
    return `${response.status}: ${text || response.statusText}`;
  }
}

function tokenProblem(status: 401 | 403, problem: string, given: boolean): string {
  if (status === 403) return `the token was accepted, but its role may not do this (ops needs distributor-admin): ${problem}`;
  const what = given ? 'the token was not accepted (expired, malformed, or signed with another secret)' : 'no token given';
  return `${what}: ${TOKEN_HINT} (${problem})`;
}

/** Query string from the options that are set. */
export function query(params: Record<string, string | number | boolean | undefined>): string {
  const search = new URLSearchParams();
  for (const [name, value] of Object.entries(params)) if (value !== undefined && value !== '') search.set(name, String(value));
  const text = search.toString();
  return text ? `?${text}` : '';
}
