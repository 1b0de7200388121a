import { readdirSync, readFileSync, statSync } from 'fs';
import { extname, join, relative } from 'path';
import { gzipSync } from 'zlib';

export interface Bytes {
  raw: number;
  gzip: number;
}

export interface BundleSize {
  js: Bytes;
  css: Bytes;
  total: Bytes;
  files: number;
  /** The three largest files (path relative to the bundle's directory). */
  largest: ({ file: string } & Bytes)[];
}

/** Raw and gzip (level 6, what a typical server would send) size of one file. */
export function sizeOf(file: string): Bytes {
  const content = readFileSync(file);
  return { raw: content.length, gzip: gzipSync(content).length };
}

const add = (a: Bytes, b: Bytes): Bytes => ({ raw: a.raw + b.raw, gzip: a.gzip + b.gzip });

/** Every .js and .css file of the built console (dist/console), lazily loaded chunks included. */
export function bundleSize(dir: string): BundleSize {
  const zero = { raw: 0, gzip: 0 };
  const result: BundleSize = { js: zero, css: zero, total: zero, files: 0, largest: [] };
  const all: ({ file: string } & Bytes)[] = [];
  const walk = (at: string) => {
    for (const entry of readdirSync(at)) {
      const path = join(at, entry);
      if (statSync(path).isDirectory()) walk(path);
      else if (['.js', '.css'].includes(extname(entry))) all.push({ file: relative(dir, path), ...sizeOf(path) });
    }
  };
  walk(dir);
  for (const f of all) {
    if (f.file.endsWith('.js')) result.js = add(result.js, f);
    else result.css = add(result.css, f);
    result.total = add(result.total, f);
  }
  result.files = all.length;
  result.largest = all.sort((a, b) => b.raw - a.raw).slice(0, 3);
  return result;
}
