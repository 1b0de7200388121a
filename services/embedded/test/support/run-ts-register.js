// Lets a child process require TypeScript, compiled on the fly with the repo's .swcrc as jest does.
const { readFileSync } = require('fs');
const { join } = require('path');
const { transformSync } = require('@swc/core');

const root = join(__dirname, '..', '..', '..', '..');
const swcrc = JSON.parse(readFileSync(join(root, '.swcrc'), 'utf8'));
delete swcrc.$schema;
swcrc.jsc.baseUrl = root;
swcrc.sourceMaps = 'inline';

require.extensions['.ts'] = (module, filename) => {
  const { code } = transformSync(readFileSync(filename, 'utf8'), { ...swcrc, swcrc: false, filename });
  module._compile(code, filename);
};
