import { execFileSync } from 'child_process';
import { existsSync, readFileSync } from 'fs';
import { join } from 'path';
import { breakingChanges, EVENT_CONTRACTS, eventSchemaDocument, JsonSchema, schemaPath } from '@lp/integration-events';

const ROOT = join(__dirname, '../../..');

const git = (...args: string[]) => execFileSync('git', args, { cwd: ROOT, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });

function inGitRepository(): boolean {
  try {
    return git('rev-parse', '--is-inside-work-tree').trim() === 'true';
  } catch {
    return false;
  }
}

/**
 * Every published state of one schema file: each version of it in the history of HEAD, and the
 * working copy. Comparing with all of them (not only the working copy, which `npm run -s schemas`
 * has just rewritten) is what catches a breaking change committed together with its regenerated
 * schema.
 */
function publishedStates(file: string, history: boolean): { source: string; schema: JsonSchema }[] {
  const states: { source: string; schema: JsonSchema }[] = [];
  if (history) {
    for (const commit of git('log', '--format=%h', 'HEAD', '--', file).split('\n').filter(Boolean)) {
      states.push({ source: `${file} at ${commit}`, schema: JSON.parse(git('show', `${commit}:${file}`)) });
    }
  }
  const path = join(ROOT, file);
  if (existsSync(path)) states.push({ source: `${file} (working copy)`, schema: JSON.parse(readFileSync(path, 'utf8')) });
  return states;
}

describe('schema evolution: a breaking change needs a new schemaVersion', () => {
  const history = inGitRepository();
  const versions = EVENT_CONTRACTS.flatMap((contract) => contract.versions.map((_, index) => ({ contract, version: index + 1, label: `${contract.type} v${index + 1}` })));

  it.each(versions)('$label stays compatible with every published state of its schema', ({ contract, version }) => {
    const generated = eventSchemaDocument(contract, version);
    const problems = publishedStates(schemaPath(contract, version), history).flatMap(({ source, schema }) =>
      breakingChanges(schema, generated).map((problem) => `${source}: ${problem}`),
    );
    expect(problems).toEqual([]);
  });

  it('compares against the git history (not only the working copy)', () => {
    // Outside a git checkout (a source tarball) the history is not there to compare with.
    if (!history) return;
    const committed = git('ls-files', 'schemas/events').split('\n').filter(Boolean);
    expect(committed.length).toBeGreaterThan(0);
  });
});
