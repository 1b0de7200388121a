#!/usr/bin/env node
// npm run -s schemas: writes the published event contracts generated from their zod declarations
// (libs/integration-events): schemas/events/<topic>/<EventType>.v<schemaVersion>.json, the
// envelope's schema and asyncapi.yaml. Commit what it writes; a test fails when they drift.
// `--check` writes nothing and exits 1 when a committed file differs.
const fs = require('fs');
const path = require('path');
const swc = require('@swc/core');

const root = path.resolve(__dirname, '..');

// The declarations are TypeScript: compile them on require with the build's own swc settings
// (path aliases included), as jest does.
const swcrc = JSON.parse(fs.readFileSync(path.join(root, '.swcrc'), 'utf8'));
delete swcrc.$schema;
swcrc.jsc.baseUrl = root;
require.extensions['.ts'] = (module, filename) => {
  const { code } = swc.transformSync(fs.readFileSync(filename, 'utf8'), { ...swcrc, filename, swcrc: false, sourceMaps: false });
  module._compile(code, filename);
};

const { generatedContractFiles } = require(path.join(root, 'libs/integration-events/src/generated-files.ts'));

const check = process.argv.includes('--check');
const stale = [];
for (const [file, content] of generatedContractFiles()) {
  const target = path.join(root, file);
  const current = fs.existsSync(target) ? fs.readFileSync(target, 'utf8') : undefined;
  if (current === content) continue;
  stale.push(file);
  if (check) continue;
  fs.mkdirSync(path.dirname(target), { recursive: true });
  fs.writeFileSync(target, content);
  console.log(`${current === undefined ? 'created' : 'updated'} ${file}`);
}
if (check && stale.length) {
  console.error(`Out of date (run npm run -s schemas): ${stale.join(', ')}`);
  process.exit(1);
}
if (!stale.length) console.log('event contracts up to date');
