import { readdirSync, readFileSync } from 'fs';
import { join } from 'path';

export type HttpAdapter = 'express' | 'fastify';

/**
 * The Nest HTTP adapter the built server runs on, so that the bare-Nest peer runs on the same one:
 * Fastify when any built server module loads @nestjs/platform-fastify, else Express (what
 * NestFactory.create uses when given no adapter). BENCH_HTTP_ADAPTER overrides it.
 */
export function serverHttpAdapter(repoRoot: string, env: NodeJS.ProcessEnv = process.env): { adapter: HttpAdapter; how: string } {
  const forced = env.BENCH_HTTP_ADAPTER?.trim().toLowerCase();
  if (forced) {
    if (forced !== 'express' && forced !== 'fastify') throw new Error(`BENCH_HTTP_ADAPTER must be express or fastify, not "${forced}"`);
    return { adapter: forced, how: 'BENCH_HTTP_ADAPTER' };
  }
  for (const dir of ['dist/libs', 'dist/services']) {
    for (const file of jsFiles(join(repoRoot, dir))) {
      if (readFileSync(file, 'utf8').includes('@nestjs/platform-fastify')) return { adapter: 'fastify', how: `${file.slice(repoRoot.length + 1)} loads @nestjs/platform-fastify` };
    }
  }
  return { adapter: 'express', how: 'no built server module loads @nestjs/platform-fastify: Nest’s default' };
}

function* jsFiles(dir: string): Generator<string> {
  let entries;
  try {
    entries = readdirSync(dir, { withFileTypes: true });
  } catch {
    return;
  }
  for (const entry of entries) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) yield* jsFiles(path);
    else if (entry.name.endsWith('.js')) yield path;
  }
}
