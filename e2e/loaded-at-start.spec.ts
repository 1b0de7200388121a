import { execFileSync } from 'child_process';
import { join } from 'path';

/**
 * A restart is mostly Node loading modules (docs/benchmarks.md, tenth session): what a start does not
 * use is loaded when first used. These packages cost a start ~0.25 s together when loaded up front.
 */
describe('what a start of the embedded app loads', () => {
  it('leaves out mingo, nodemailer, all of date-fns and Fastify’s schema compilers until something needs them', () => {
    const later = ['mingo', 'nodemailer', 'date-fns', '@fastify/ajv-compiler', '@fastify/fast-json-stringify-compiler', 'ajv'];
    const printed = execFileSync(process.execPath, [join(__dirname, 'support', 'packages-loaded-at-start.js'), ...later, '@nestjs/core', 'zod'], {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    const loaded = JSON.parse(/^LOADED (.*)$/m.exec(printed)![1]);
    // The two named last are loaded: the check sees loaded packages at all.
    expect(loaded).toEqual(['@nestjs/core', 'zod']);
  });
});
