import { existsSync, statSync } from 'fs';
import { join, resolve, sep } from 'path';

/**
 * Where the built console (web/console → dist/console) is: beside the compiled services when run
 * from dist/, or in dist/ when run from source (jest). Undefined when it has not been built.
 */
export function findConsoleDir(explicit?: string): string | undefined {
  const candidates = explicit ? [explicit] : [resolve(__dirname, '../../../../console'), resolve(__dirname, '../../../../dist/console')];
  return candidates.find((dir) => existsSync(join(dir, 'index.html')));
}

/** The file under `root` that a URL path names, never one outside it; undefined when there is none. */
export function fileUnder(root: string, urlPath: string): string | undefined {
  let decoded: string;
  try {
    decoded = decodeURIComponent(urlPath);
  } catch {
    return undefined;
  }
  if (decoded.includes('\0')) return undefined;
  const file = resolve(root, `.${decoded}`);
  if (file !== root && !file.startsWith(root + sep)) return undefined;
  try {
    return statSync(file).isFile() ? file : undefined;
  } catch {
    return undefined;
  }
}

/** The request's path as the client sent it, without the query. */
export const pathOf = (req: { originalUrl: string }) => new URL(req.originalUrl, 'http://console').pathname;
