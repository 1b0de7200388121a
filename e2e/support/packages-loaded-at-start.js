// Starts the embedded app (TypeScript through the repo's swc setup) on a fresh data directory, as
// `npm start` does up to listening, and prints which of the packages named on the command line it
// had loaded by then (their entry points: a file of one required alone does not count), as JSON on a
// line starting `LOADED `.
require('../../services/embedded/test/support/run-ts-register');
const { mkdtempSync, rmSync } = require('fs');
const { tmpdir } = require('os');
const { join } = require('path');
const { createEmbeddedApp } = require('../../services/embedded/src/embedded-app.ts');

(async () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'loaded-at-start-'));
  const embedded = await createEmbeddedApp({ dataDir, synchronous: 'NORMAL' });
  await embedded.app.init();
  const named = process.argv.slice(2).filter((name) => require.resolve(name) in require.cache);
  await embedded.close();
  rmSync(dataDir, { recursive: true, force: true });
  // On a line of its own: the app logs to stdout too.
  process.stdout.write(`\nLOADED ${JSON.stringify(named)}\n`);
})().catch((error) => {
  console.error(error);
  process.exit(1);
});
