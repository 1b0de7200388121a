import { readFileSync } from 'fs';
import { join } from 'path';

// The image recipe cannot be built here (no Docker engine), so its promises are checked as text:
// the runtime a platform team deploys is a supported Node.js LTS release, pinned, that the native
// dependency supports, and the build runs no telemetry.
const root = join(__dirname, '..');
const dockerfile = readFileSync(join(root, 'deploy/Dockerfile'), 'utf8');
const manifest = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { allowScripts: Record<string, boolean> };

/** End of life of the Node.js LTS lines (github.com/nodejs/Release, schedule.json). */
const LTS_END_OF_LIFE: Record<number, string> = { 20: '2026-04-30', 22: '2027-04-30', 24: '2028-04-30', 26: '2029-04-30' };

const nodeImage = /^ARG NODE_IMAGE=node:(\d+)\.(\d+)\.(\d+)-[a-z]+-slim$/m.exec(dockerfile);

describe('deploy/Dockerfile', () => {
  it('builds on an exact Node.js release (major.minor.patch), not a moving tag', () => {
    expect(nodeImage).not.toBeNull();
  });

  it('runs a Node.js LTS line that is still supported today', () => {
    const major = Number(nodeImage![1]);
    expect(LTS_END_OF_LIFE[major]).toBeDefined();
    expect(new Date().toISOString().slice(0, 10) < LTS_END_OF_LIFE[major]).toBe(true);
  });

  it('runs a Node.js major that better-sqlite3 (the one native dependency of the services) supports', () => {
    const engines = (JSON.parse(readFileSync(require.resolve('better-sqlite3/package.json'), 'utf8')) as { engines: { node: string } }).engines.node;
    expect(engines.split('||').map((range) => range.trim())).toContain(`${nodeImage![1]}.x`);
  });

  it('installs without the @scarf/scarf telemetry and with the native build scripts it needs', () => {
    expect(manifest.allowScripts).toMatchObject({ '@scarf/scarf': false, 'better-sqlite3': true });
    expect(dockerfile.indexOf('ENV SCARF_ANALYTICS=false')).toBeGreaterThan(-1);
    expect(dockerfile.indexOf('ENV SCARF_ANALYTICS=false')).toBeLessThan(dockerfile.indexOf('RUN npm ci'));
  });
});
