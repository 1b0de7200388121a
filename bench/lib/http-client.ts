import http from 'http';

export interface Reply<T = any> {
  status: number;
  body: T;
  ms: number;
}

/** A tiny JSON client over plain `http` with a keep-alive agent (no extra dependencies in the measurement). */
export class HttpClient {
  private readonly agent: http.Agent;

  constructor(
    private readonly host: string,
    private readonly port: number,
    private readonly token: string,
    maxSockets = 16,
  ) {
    this.agent = new http.Agent({ keepAlive: true, maxSockets, maxFreeSockets: maxSockets });
  }

  get<T = any>(path: string, timeoutMs = 120_000): Promise<Reply<T>> {
    return this.request('GET', path, undefined, timeoutMs);
  }

  post<T = any>(path: string, body: object = {}, timeoutMs = 30_000): Promise<Reply<T>> {
    return this.request('POST', path, body, timeoutMs);
  }

  put<T = any>(path: string, body: object = {}, timeoutMs = 30_000): Promise<Reply<T>> {
    return this.request('PUT', path, body, timeoutMs);
  }

  request<T = any>(method: string, path: string, body?: object, timeoutMs = 30_000): Promise<Reply<T>> {
    const payload = body === undefined ? undefined : Buffer.from(JSON.stringify(body));
    const headers: http.OutgoingHttpHeaders = { Authorization: `Bearer ${this.token}`, Accept: 'application/json' };
    if (payload) {
      headers['Content-Type'] = 'application/json';
      headers['Content-Length'] = payload.length;
    }
    return new Promise((resolve, reject) => {
      const started = performance.now();
      const req = http.request({ host: this.host, port: this.port, method, path, headers, agent: this.agent }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () => {
          const ms = performance.now() - started;
          const text = Buffer.concat(chunks).toString('utf8');
          let parsed: unknown = text;
          if (text && /json/.test(String(res.headers['content-type']))) {
            try {
              parsed = JSON.parse(text);
            } catch {
              /* keep the text */
            }
          }
          resolve({ status: res.statusCode ?? 0, body: parsed as T, ms });
        });
        res.on('error', reject);
      });
      req.setTimeout(timeoutMs, () => req.destroy(new Error(`${method} ${path} timed out after ${timeoutMs} ms`)));
      req.on('error', reject);
      if (payload) req.write(payload);
      req.end();
    });
  }

  close(): void {
    this.agent.destroy();
  }
}
