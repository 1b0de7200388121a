import { existsSync, readdirSync, readFileSync } from 'fs';
import { join, relative } from 'path';
import { generatedContractFiles } from '@lp/integration-events';

const ROOT = join(__dirname, '../../..');

/** Every committed file under schemas/events, relative to the repository root. */
function committedSchemaFiles(dir = join(ROOT, 'schemas/events')): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory() ? committedSchemaFiles(join(dir, entry.name)) : [relative(ROOT, join(dir, entry.name))],
  );
}

describe('committed event contracts (schemas/events, asyncapi.yaml)', () => {
  const generated = generatedContractFiles();

  it.each([...generated.keys()])('%s is what the declarations generate (npm run -s schemas)', (file) => {
    const path = join(ROOT, file);
    expect(existsSync(path) ? readFileSync(path, 'utf8') : `${file} is missing`).toBe(generated.get(file));
  });

  it('holds no schema that no declaration generates (a version is never deleted, only added)', () => {
    expect(committedSchemaFiles().filter((file) => !generated.has(file))).toEqual([]);
  });
});
