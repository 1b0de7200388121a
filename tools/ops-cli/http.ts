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
} as const;

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
    const hint = response.status === 401 ? ' (give --token or set OPS_TOKEN: a distributor-admin token, e.g. from `npm run -s token`)' : '';
    return `${response.status} ${problem.code ?? problem.title ?? ''}: ${problem.detail ?? problem.title ?? text}${hint}${fields}`;
  } catch {
    return `${response.status}: ${text || response.statusText}`;
  }
}

/** Query string from the options that are set. */
export function query(params: Record<string, string | number | boolean | undefined>): string {
  const search = new URLSearchParams();
  for (const [name, value] of Object.entries(params)) if (value !== undefined && value !== '') search.set(name, String(value));
  const text = search.toString();
  return text ? `?${text}` : '';
}
