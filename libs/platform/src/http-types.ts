/**
 * The few Express request/response members the platform uses. @types/express is not installed;
 * these structural types keep the library strict without it.
 */
export interface HttpRequest {
  method: string;
  originalUrl: string;
  baseUrl: string;
  body?: unknown;
  route?: { path?: string };
  headers: Record<string, string | string[] | undefined>;
  header(name: string): string | undefined;
}

export interface HttpResponse {
  statusCode: number;
  headersSent: boolean;
  status(code: number): this;
  type(contentType: string): this;
  send(body?: unknown): this;
  end(): void;
  setHeader(name: string, value: string | number | readonly string[]): this;
  getHeader(name: string): string | number | string[] | undefined;
  once(event: 'finish', listener: () => void): this;
}

export type NextFunction = (error?: unknown) => void;
